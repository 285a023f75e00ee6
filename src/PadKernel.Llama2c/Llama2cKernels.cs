using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PadKernel.Llama2c;

/// <summary>
/// The numeric kernels of the forward pass other than the matrix products (<see cref="Llama2cMatVec"/>). Each has a
/// Vector512 path (AVX-512), a Vector256 path and a scalar or TensorPrimitives fallback; the JIT keeps only the path
/// the machine runs.
/// </summary>
internal static class Llama2cKernels
{
    /// <summary>Rounds up to a multiple of 16 floats (one Vector512, two Vector256).</summary>
    public static int Pad(int count) => (count + 15) & ~15;

    /// <summary>o = weight * (x / rms(x)), with llama2.c's epsilon of 1e-5. <paramref name="o"/> may alias <paramref name="x"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RmsNorm(Span<float> o, ReadOnlySpan<float> x, ReadOnlySpan<float> weight)
    {
        int n = x.Length;
        if (o.Length < n || weight.Length < n)
        {
            throw new ArgumentException("Vector sizes disagree.");
        }

        ref float xRef = ref MemoryMarshal.GetReference(x);
        ref float wRef = ref MemoryMarshal.GetReference(weight);
        ref float oRef = ref MemoryMarshal.GetReference(o);
        int i = 0;
        float ss = 0f;
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> acc = default;
            for (; i + 8 <= n; i += 8)
            {
                Vector256<float> v = Vector256.LoadUnsafe(ref xRef, (nuint)i);
                acc = MulAdd(v, v, acc);
            }

            ss = Vector256.Sum(acc);
        }

        for (; i < n; i++)
        {
            float v = Unsafe.Add(ref xRef, i);
            ss += v * v;
        }

        ss = (ss / n) + 1e-5f;
        ss = 1f / MathF.Sqrt(ss);
        i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var scale = Vector256.Create(ss);
            for (; i + 8 <= n; i += 8)
            {
                (Vector256.LoadUnsafe(ref wRef, (nuint)i) * (scale * Vector256.LoadUnsafe(ref xRef, (nuint)i))).StoreUnsafe(ref oRef, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref oRef, i) = Unsafe.Add(ref wRef, i) * (ss * Unsafe.Add(ref xRef, i));
        }
    }

    /// <summary>x += y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddInPlace(Span<float> x, ReadOnlySpan<float> y)
    {
        int n = x.Length;
        if (y.Length < n)
        {
            throw new ArgumentException("Vector sizes disagree.");
        }

        ref float xRef = ref MemoryMarshal.GetReference(x);
        ref float yRef = ref MemoryMarshal.GetReference(y);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 8 <= n; i += 8)
            {
                (Vector256.LoadUnsafe(ref xRef, (nuint)i) + Vector256.LoadUnsafe(ref yRef, (nuint)i)).StoreUnsafe(ref xRef, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref xRef, i) += Unsafe.Add(ref yRef, i);
        }
    }

    /// <summary>
    /// Attention scores of one query head against every cached key of its KV head:
    /// scores[t] = dot(q, key at t) for t in [0, count). Keys are stored transposed (one row of
    /// <paramref name="keyStride"/> positions per head dimension), so 16 (or 8) positions are scored per vector with no
    /// horizontal sums. Writes whole blocks, so <paramref name="scores"/> must hold <c>Pad(count)</c> floats.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Scores(ReadOnlySpan<float> q, ReadOnlySpan<float> keys, int keyStride, int count, Span<float> scores)
    {
        int headSize = q.Length;
        int blocks = Pad(count);
        if (blocks > keyStride || scores.Length < blocks || (long)(headSize - 1) * keyStride + blocks > keys.Length)
        {
            throw new ArgumentException("Key cache, query and score sizes disagree.");
        }

        if (!Vector256.IsHardwareAccelerated)
        {
            scores[..count].Clear();
            for (int i = 0; i < headSize; i++)
            {
                TensorPrimitives.MultiplyAdd(keys.Slice(i * keyStride, count), q[i], scores[..count], scores[..count]);
            }

            return;
        }

        ref float kRef = ref MemoryMarshal.GetReference(keys);
        ref float sRef = ref MemoryMarshal.GetReference(scores);
        ref float qRef = ref MemoryMarshal.GetReference(q);
        if (Vector512.IsHardwareAccelerated && headSize == 8)
        {
            // The common tiny-head case: the eight query lanes stay in registers for the whole scan.
            Vector512<float> q0 = Vector512.Create(q[0]), q1 = Vector512.Create(q[1]), q2 = Vector512.Create(q[2]), q3 = Vector512.Create(q[3]);
            Vector512<float> q4 = Vector512.Create(q[4]), q5 = Vector512.Create(q[5]), q6 = Vector512.Create(q[6]), q7 = Vector512.Create(q[7]);
            nint s1 = keyStride, s2 = 2 * (nint)keyStride, s3 = 3 * (nint)keyStride;
            ref float k4 = ref Unsafe.Add(ref kRef, 4 * (nint)keyStride);
            for (nuint t = 0; t < (nuint)blocks; t += 16)
            {
                ref float k0 = ref Unsafe.Add(ref kRef, t);
                ref float kh = ref Unsafe.Add(ref k4, t);
                Vector512<float> a = Vector512.LoadUnsafe(ref k0) * q0;
                Vector512<float> b = Vector512.LoadUnsafe(ref kh) * q4;
                a = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref Unsafe.Add(ref k0, s1)), q1, a);
                b = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref Unsafe.Add(ref kh, s1)), q5, b);
                a = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref Unsafe.Add(ref k0, s2)), q2, a);
                b = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref Unsafe.Add(ref kh, s2)), q6, b);
                a = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref Unsafe.Add(ref k0, s3)), q3, a);
                b = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref Unsafe.Add(ref kh, s3)), q7, b);
                (a + b).StoreUnsafe(ref sRef, t);
            }

            return;
        }

        for (nuint t = 0; t < (nuint)blocks; t += 8)
        {
            Vector256<float> acc = default;
            ref float k = ref Unsafe.Add(ref kRef, t);
            for (int i = 0; i < headSize; i++)
            {
                acc = MulAdd(Vector256.Create(Unsafe.Add(ref qRef, i)), Vector256.LoadUnsafe(ref Unsafe.Add(ref k, (nint)i * keyStride)), acc);
            }

            acc.StoreUnsafe(ref sRef, t);
        }
    }

    /// <summary>
    /// Replaces scores[0..count) by exp(score - max) and returns their sum: a softmax whose division is left to the
    /// caller (it scales the weighted sum once instead of every weight). Entries from count up to the next multiple
    /// of 16 become 0, so whole blocks can be read.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float ExpNormalize(Span<float> scores, int count)
    {
        int blocks = Pad(count);
        if (scores.Length < blocks || count <= 0)
        {
            throw new ArgumentException("Score buffer too small.");
        }

        if (!Vector256.IsHardwareAccelerated)
        {
            Span<float> live = scores[..count];
            float maxValue = TensorPrimitives.Max(live);
            TensorPrimitives.Subtract(live, maxValue, live);
            TensorPrimitives.Exp(live, live);
            scores[count..blocks].Clear();
            return TensorPrimitives.Sum(live);
        }

        ref float sRef = ref MemoryMarshal.GetReference(scores);
        for (int t = count; t < blocks; t++)
        {
            Unsafe.Add(ref sRef, t) = float.NegativeInfinity;
        }

        if (Vector512.IsHardwareAccelerated)
        {
            return ExpNormalize512(ref sRef, blocks);
        }

        Vector256<float> max = Vector256.Create(float.NegativeInfinity);
        for (nuint t = 0; t < (nuint)blocks; t += 8)
        {
            max = Vector256.Max(max, Vector256.LoadUnsafe(ref sRef, t));
        }

        // Reduce to one value in every lane.
        max = Vector256.Max(max, Avx.IsSupported ? Avx.Permute2x128(max, max, 1) : Vector256.Create(max.GetUpper(), max.GetLower()));
        max = Vector256.Max(max, Vector256.Shuffle(max, Vector256.Create(2, 3, 0, 1, 6, 7, 4, 5)));
        max = Vector256.Max(max, Vector256.Shuffle(max, Vector256.Create(1, 0, 3, 2, 5, 4, 7, 6)));

        Vector256<float> sum = default;
        for (nuint t = 0; t < (nuint)blocks; t += 8)
        {
            Vector256<float> e = Exp(Vector256.LoadUnsafe(ref sRef, t) - max);
            e.StoreUnsafe(ref sRef, t);
            sum += e;
        }

        return Vector256.Sum(sum);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float ExpNormalize512(ref float sRef, int blocks)
    {
        Vector512<float> max512 = Vector512.Create(float.NegativeInfinity);
        for (nuint t = 0; t < (nuint)blocks; t += 16)
        {
            max512 = Vector512.Max(max512, Vector512.LoadUnsafe(ref sRef, t));
        }

        Vector256<float> max = Vector256.Max(max512.GetLower(), max512.GetUpper());
        max = Vector256.Max(max, Vector256.Create(max.GetUpper(), max.GetLower()));
        max = Vector256.Max(max, Vector256.Shuffle(max, Vector256.Create(2, 3, 0, 1, 6, 7, 4, 5)));
        max = Vector256.Max(max, Vector256.Shuffle(max, Vector256.Create(1, 0, 3, 2, 5, 4, 7, 6)));
        max512 = Vector512.Create(max, max);

        Vector512<float> sum = default;
        for (nuint t = 0; t < (nuint)blocks; t += 16)
        {
            Vector512<float> e = Exp(Vector512.LoadUnsafe(ref sRef, t) - max512);
            e.StoreUnsafe(ref sRef, t);
            sum += e;
        }

        return Vector256.Sum(Fold(sum));
    }

    /// <summary>
    /// output[i] = scale * sum over t of weights[t] * values[i * valueStride + t]: the attention-weighted sum of the
    /// cached values, stored transposed like the keys so the sum runs along positions, 16 at a time. Reads whole
    /// blocks of 16 positions, so <paramref name="weights"/> must be zero from <paramref name="count"/> up to the next
    /// multiple of 16 (as <see cref="ExpNormalize"/> leaves it) and the cache must hold finite values there.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void WeightedValues(ReadOnlySpan<float> weights, int count, ReadOnlySpan<float> values, int valueStride, float scale, Span<float> output)
    {
        int headSize = output.Length;
        int blocks = Pad(count);
        if (count <= 0 || weights.Length < blocks || blocks > valueStride || (long)(headSize - 1) * valueStride + blocks > values.Length)
        {
            throw new ArgumentException("Value cache and weight sizes disagree.");
        }

        if (!Vector512.IsHardwareAccelerated || headSize != 8)
        {
            for (int i = 0; i < headSize; i++)
            {
                output[i] = TensorPrimitives.Dot(weights[..count], values.Slice(i * valueStride, count)) * scale;
            }

            return;
        }

        ref float aRef = ref MemoryMarshal.GetReference(weights);
        ref float v0 = ref MemoryMarshal.GetReference(values);
        ref float v4 = ref Unsafe.Add(ref v0, 4 * (nint)valueStride);
        nint s1 = valueStride, s2 = 2 * (nint)valueStride, s3 = 3 * (nint)valueStride;
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
        for (nuint t = 0; t < (nuint)blocks; t += 16)
        {
            Vector512<float> a = Vector512.LoadUnsafe(ref aRef, t);
            ref float r0 = ref Unsafe.Add(ref v0, t);
            ref float r4 = ref Unsafe.Add(ref v4, t);
            c0 = Vector512.FusedMultiplyAdd(a, Vector512.LoadUnsafe(ref r0), c0);
            c1 = Vector512.FusedMultiplyAdd(a, Vector512.LoadUnsafe(ref Unsafe.Add(ref r0, s1)), c1);
            c2 = Vector512.FusedMultiplyAdd(a, Vector512.LoadUnsafe(ref Unsafe.Add(ref r0, s2)), c2);
            c3 = Vector512.FusedMultiplyAdd(a, Vector512.LoadUnsafe(ref Unsafe.Add(ref r0, s3)), c3);
            c4 = Vector512.FusedMultiplyAdd(a, Vector512.LoadUnsafe(ref r4), c4);
            c5 = Vector512.FusedMultiplyAdd(a, Vector512.LoadUnsafe(ref Unsafe.Add(ref r4, s1)), c5);
            c6 = Vector512.FusedMultiplyAdd(a, Vector512.LoadUnsafe(ref Unsafe.Add(ref r4, s2)), c6);
            c7 = Vector512.FusedMultiplyAdd(a, Vector512.LoadUnsafe(ref Unsafe.Add(ref r4, s3)), c7);
        }

        ref float oRef = ref MemoryMarshal.GetReference(output);
        Vector128<float> factor = Vector128.Create(scale);
        (Sum4(Fold(c0), Fold(c1), Fold(c2), Fold(c3)) * factor).StoreUnsafe(ref oRef);
        (Sum4(Fold(c4), Fold(c5), Fold(c6), Fold(c7)) * factor).StoreUnsafe(ref oRef, 4);
    }

    /// <summary>hb[i] = silu(h1[i]) * h3[i], SwiGLU's gate (silu(x) = x * sigmoid(x)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SwiGlu(ReadOnlySpan<float> h1, ReadOnlySpan<float> h3, Span<float> hb)
    {
        int n = hb.Length;
        if (h1.Length < n || h3.Length < n)
        {
            throw new ArgumentException("Vector sizes disagree.");
        }

        ref float aRef = ref MemoryMarshal.GetReference(h1);
        ref float bRef = ref MemoryMarshal.GetReference(h3);
        ref float oRef = ref MemoryMarshal.GetReference(hb);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> one = Vector256.Create(1f);
            for (; i + 8 <= n; i += 8)
            {
                Vector256<float> a = Vector256.LoadUnsafe(ref aRef, (nuint)i);
                Vector256<float> silu = a * (one / (one + Exp(-a)));
                (silu * Vector256.LoadUnsafe(ref bRef, (nuint)i)).StoreUnsafe(ref oRef, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            float a = Unsafe.Add(ref aRef, i);
            Unsafe.Add(ref oRef, i) = a * (1f / (1f + MathF.Exp(-a))) * Unsafe.Add(ref bRef, i);
        }
    }

    /// <summary>
    /// e^x per lane, accurate to about 1 ulp (Cephes expf: x = n·ln2 + r, e^r by a degree-6 polynomial, 2^n through
    /// the exponent bits). Inputs below -87 give 0 (negative infinity included); inputs above 88 saturate.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> x)
    {
        Vector256<float> underflow = Vector256.LessThan(x, Vector256.Create(-87f));
        x = Vector256.Min(Vector256.Max(x, Vector256.Create(-87f)), Vector256.Create(88f));
        Vector256<float> n = Vector256.Round(x * Vector256.Create(1.44269504088896341f));
        Vector256<float> r = MulAdd(n, Vector256.Create(-0.693359375f), x);
        r = MulAdd(n, Vector256.Create(2.12194440e-4f), r);
        Vector256<float> p = Vector256.Create(1.9875691500e-4f);
        p = MulAdd(p, r, Vector256.Create(1.3981999507e-3f));
        p = MulAdd(p, r, Vector256.Create(8.3334519073e-3f));
        p = MulAdd(p, r, Vector256.Create(4.1665795894e-2f));
        p = MulAdd(p, r, Vector256.Create(1.6666665459e-1f));
        p = MulAdd(p, r, Vector256.Create(5.0000001201e-1f));
        p = MulAdd(p, r * r, r + Vector256.Create(1f));
        Vector256<int> bits = (Vector256.ConvertToInt32(n) + Vector256.Create(127)) << 23;
        Vector256<float> result = p * bits.AsSingle();
        return Vector256.AndNot(result, underflow);
    }

    /// <summary>The Vector512 twin of <see cref="Exp(Vector256{float})"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> x)
    {
        Vector512<float> underflow = Vector512.LessThan(x, Vector512.Create(-87f));
        x = Vector512.Min(Vector512.Max(x, Vector512.Create(-87f)), Vector512.Create(88f));
        Vector512<float> n = Vector512.Round(x * Vector512.Create(1.44269504088896341f));
        Vector512<float> r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-0.693359375f), x);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(2.12194440e-4f), r);
        Vector512<float> p = Vector512.Create(1.9875691500e-4f);
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.3981999507e-3f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(8.3334519073e-3f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(4.1665795894e-2f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.6666665459e-1f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(5.0000001201e-1f));
        p = Vector512.FusedMultiplyAdd(p, r * r, r + Vector512.Create(1f));

        // p · 2^n: vscalefps does it in one instruction; otherwise build 2^n from its exponent bits.
        Vector512<float> result = Avx512F.IsSupported
            ? Avx512F.Scale(p, n)
            : p * ((Vector512.ConvertToInt32(n) + Vector512.Create(127)) << 23).AsSingle();
        return Vector512.AndNot(result, underflow);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> Fold(Vector512<float> v) => v.GetLower() + v.GetUpper();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> MulAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : (a * b) + c;

    // The four horizontal sums of four accumulators as one Vector128.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<float> Sum4(Vector256<float> a0, Vector256<float> a1, Vector256<float> a2, Vector256<float> a3)
    {
        if (Avx.IsSupported)
        {
            Vector256<float> h = Avx.HorizontalAdd(Avx.HorizontalAdd(a0, a1), Avx.HorizontalAdd(a2, a3));
            return h.GetLower() + h.GetUpper();
        }

        return Vector128.Create(Vector256.Sum(a0), Vector256.Sum(a1), Vector256.Sum(a2), Vector256.Sum(a3));
    }
}
