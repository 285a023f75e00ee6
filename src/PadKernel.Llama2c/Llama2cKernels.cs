using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PadKernel.Llama2c;

/// <summary>
/// The numeric kernels of the forward pass. Matrices are row-major with rows padded to a multiple of 16 floats (and
/// the padding zeroed), and input vectors are padded the same way, so the Vector512/Vector256 loops need no tails.
/// Each kernel has a Vector512 path (AVX-512), a Vector256 path (AVX2/NEON-class hardware) and a TensorPrimitives
/// fallback; the JIT keeps only the path the machine runs.
/// </summary>
internal static class Llama2cKernels
{
    /// <summary>Rounds up to a multiple of 16 floats (one Vector512, two Vector256).</summary>
    public static int Pad(int count) => (count + 15) & ~15;

    /// <summary>output[r] = dot(row r of w, x) for each r; rows are <paramref name="stride"/> floats apart and x holds <paramref name="stride"/> floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MatVec(ReadOnlySpan<float> w, int stride, ReadOnlySpan<float> x, Span<float> output)
    {
        int rows = output.Length;
        if ((long)rows * stride > w.Length || x.Length < stride || (stride & 7) != 0)
        {
            throw new ArgumentException("Matrix, vector and output sizes disagree.");
        }

        if (!Vector256.IsHardwareAccelerated)
        {
            for (int r = 0; r < rows; r++)
            {
                output[r] = TensorPrimitives.Dot(w.Slice(r * stride, stride), x[..stride]);
            }

            return;
        }

        if (Vector512.IsHardwareAccelerated && (stride & 15) == 0)
        {
            MatVec512(w, stride, x, output);
            return;
        }

        ref float wRef = ref MemoryMarshal.GetReference(w);
        ref float xRef = ref MemoryMarshal.GetReference(x);
        ref float oRef = ref MemoryMarshal.GetReference(output);
        int row = 0;
        for (; row + 4 <= rows; row += 4)
        {
            ref float w0 = ref Unsafe.Add(ref wRef, (nint)row * stride);
            ref float w1 = ref Unsafe.Add(ref w0, stride);
            ref float w2 = ref Unsafe.Add(ref w1, stride);
            ref float w3 = ref Unsafe.Add(ref w2, stride);
            Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
            for (nuint j = 0; j < (nuint)stride; j += 8)
            {
                Vector256<float> xv = Vector256.LoadUnsafe(ref xRef, j);
                a0 = MulAdd(Vector256.LoadUnsafe(ref w0, j), xv, a0);
                a1 = MulAdd(Vector256.LoadUnsafe(ref w1, j), xv, a1);
                a2 = MulAdd(Vector256.LoadUnsafe(ref w2, j), xv, a2);
                a3 = MulAdd(Vector256.LoadUnsafe(ref w3, j), xv, a3);
            }

            Sum4(a0, a1, a2, a3).StoreUnsafe(ref oRef, (nuint)row);
        }

        for (; row < rows; row++)
        {
            ref float w0 = ref Unsafe.Add(ref wRef, (nint)row * stride);
            Vector256<float> a0 = default;
            for (nuint j = 0; j < (nuint)stride; j += 8)
            {
                a0 = MulAdd(Vector256.LoadUnsafe(ref w0, j), Vector256.LoadUnsafe(ref xRef, j), a0);
            }

            Unsafe.Add(ref oRef, row) = Vector256.Sum(a0);
        }
    }

    /// <summary>Two matrix-vector products with the same matrix: each weight row is loaded once for both inputs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MatVec2(ReadOnlySpan<float> w, int stride, ReadOnlySpan<float> x0, ReadOnlySpan<float> x1, Span<float> output0, Span<float> output1)
    {
        int rows = output0.Length;
        if (!Vector256.IsHardwareAccelerated || output1.Length != rows || (long)rows * stride > w.Length || x0.Length < stride || x1.Length < stride || (stride & 7) != 0)
        {
            MatVec(w, stride, x0, output0);
            MatVec(w, stride, x1, output1);
            return;
        }

        if (Vector512.IsHardwareAccelerated && (stride & 15) == 0)
        {
            MatVec2x512(w, stride, x0, x1, output0, output1);
            return;
        }

        ref float wRef = ref MemoryMarshal.GetReference(w);
        ref float xRef0 = ref MemoryMarshal.GetReference(x0);
        ref float xRef1 = ref MemoryMarshal.GetReference(x1);
        ref float oRef0 = ref MemoryMarshal.GetReference(output0);
        ref float oRef1 = ref MemoryMarshal.GetReference(output1);
        int row = 0;
        for (; row + 4 <= rows; row += 4)
        {
            ref float w0 = ref Unsafe.Add(ref wRef, (nint)row * stride);
            ref float w1 = ref Unsafe.Add(ref w0, stride);
            ref float w2 = ref Unsafe.Add(ref w1, stride);
            ref float w3 = ref Unsafe.Add(ref w2, stride);
            Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
            Vector256<float> b0 = default, b1 = default, b2 = default, b3 = default;
            for (nuint j = 0; j < (nuint)stride; j += 8)
            {
                Vector256<float> xa = Vector256.LoadUnsafe(ref xRef0, j);
                Vector256<float> xb = Vector256.LoadUnsafe(ref xRef1, j);
                Vector256<float> v = Vector256.LoadUnsafe(ref w0, j);
                a0 = MulAdd(v, xa, a0);
                b0 = MulAdd(v, xb, b0);
                v = Vector256.LoadUnsafe(ref w1, j);
                a1 = MulAdd(v, xa, a1);
                b1 = MulAdd(v, xb, b1);
                v = Vector256.LoadUnsafe(ref w2, j);
                a2 = MulAdd(v, xa, a2);
                b2 = MulAdd(v, xb, b2);
                v = Vector256.LoadUnsafe(ref w3, j);
                a3 = MulAdd(v, xa, a3);
                b3 = MulAdd(v, xb, b3);
            }

            Sum4(a0, a1, a2, a3).StoreUnsafe(ref oRef0, (nuint)row);
            Sum4(b0, b1, b2, b3).StoreUnsafe(ref oRef1, (nuint)row);
        }

        for (; row < rows; row++)
        {
            ref float w0 = ref Unsafe.Add(ref wRef, (nint)row * stride);
            Vector256<float> a0 = default, b0 = default;
            for (nuint j = 0; j < (nuint)stride; j += 8)
            {
                Vector256<float> v = Vector256.LoadUnsafe(ref w0, j);
                a0 = MulAdd(v, Vector256.LoadUnsafe(ref xRef0, j), a0);
                b0 = MulAdd(v, Vector256.LoadUnsafe(ref xRef1, j), b0);
            }

            Unsafe.Add(ref oRef0, row) = Vector256.Sum(a0);
            Unsafe.Add(ref oRef1, row) = Vector256.Sum(b0);
        }
    }

    // The Vector512 twins of MatVec and MatVec2: same summation order per sequence, so a batch equals its parts exactly.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MatVec512(ReadOnlySpan<float> w, int stride, ReadOnlySpan<float> x, Span<float> output)
    {
        int rows = output.Length;
        ref float wRef = ref MemoryMarshal.GetReference(w);
        ref float xRef = ref MemoryMarshal.GetReference(x);
        ref float oRef = ref MemoryMarshal.GetReference(output);
        int row = 0;
        for (; row + 4 <= rows; row += 4)
        {
            ref float w0 = ref Unsafe.Add(ref wRef, (nint)row * stride);
            ref float w1 = ref Unsafe.Add(ref w0, stride);
            ref float w2 = ref Unsafe.Add(ref w1, stride);
            ref float w3 = ref Unsafe.Add(ref w2, stride);
            Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
            for (nuint j = 0; j < (nuint)stride; j += 16)
            {
                Vector512<float> xv = Vector512.LoadUnsafe(ref xRef, j);
                a0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref w0, j), xv, a0);
                a1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref w1, j), xv, a1);
                a2 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref w2, j), xv, a2);
                a3 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref w3, j), xv, a3);
            }

            Sum4(Fold(a0), Fold(a1), Fold(a2), Fold(a3)).StoreUnsafe(ref oRef, (nuint)row);
        }

        for (; row < rows; row++)
        {
            ref float w0 = ref Unsafe.Add(ref wRef, (nint)row * stride);
            Vector512<float> a0 = default;
            for (nuint j = 0; j < (nuint)stride; j += 16)
            {
                a0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref w0, j), Vector512.LoadUnsafe(ref xRef, j), a0);
            }

            Unsafe.Add(ref oRef, row) = Vector256.Sum(Fold(a0));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MatVec2x512(ReadOnlySpan<float> w, int stride, ReadOnlySpan<float> x0, ReadOnlySpan<float> x1, Span<float> output0, Span<float> output1)
    {
        int rows = output0.Length;
        ref float wRef = ref MemoryMarshal.GetReference(w);
        ref float xRef0 = ref MemoryMarshal.GetReference(x0);
        ref float xRef1 = ref MemoryMarshal.GetReference(x1);
        ref float oRef0 = ref MemoryMarshal.GetReference(output0);
        ref float oRef1 = ref MemoryMarshal.GetReference(output1);
        int row = 0;
        for (; row + 4 <= rows; row += 4)
        {
            ref float w0 = ref Unsafe.Add(ref wRef, (nint)row * stride);
            ref float w1 = ref Unsafe.Add(ref w0, stride);
            ref float w2 = ref Unsafe.Add(ref w1, stride);
            ref float w3 = ref Unsafe.Add(ref w2, stride);
            Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
            Vector512<float> b0 = default, b1 = default, b2 = default, b3 = default;
            for (nuint j = 0; j < (nuint)stride; j += 16)
            {
                Vector512<float> xa = Vector512.LoadUnsafe(ref xRef0, j);
                Vector512<float> xb = Vector512.LoadUnsafe(ref xRef1, j);
                Vector512<float> v = Vector512.LoadUnsafe(ref w0, j);
                a0 = Vector512.FusedMultiplyAdd(v, xa, a0);
                b0 = Vector512.FusedMultiplyAdd(v, xb, b0);
                v = Vector512.LoadUnsafe(ref w1, j);
                a1 = Vector512.FusedMultiplyAdd(v, xa, a1);
                b1 = Vector512.FusedMultiplyAdd(v, xb, b1);
                v = Vector512.LoadUnsafe(ref w2, j);
                a2 = Vector512.FusedMultiplyAdd(v, xa, a2);
                b2 = Vector512.FusedMultiplyAdd(v, xb, b2);
                v = Vector512.LoadUnsafe(ref w3, j);
                a3 = Vector512.FusedMultiplyAdd(v, xa, a3);
                b3 = Vector512.FusedMultiplyAdd(v, xb, b3);
            }

            Sum4(Fold(a0), Fold(a1), Fold(a2), Fold(a3)).StoreUnsafe(ref oRef0, (nuint)row);
            Sum4(Fold(b0), Fold(b1), Fold(b2), Fold(b3)).StoreUnsafe(ref oRef1, (nuint)row);
        }

        for (; row < rows; row++)
        {
            ref float w0 = ref Unsafe.Add(ref wRef, (nint)row * stride);
            Vector512<float> a0 = default, b0 = default;
            for (nuint j = 0; j < (nuint)stride; j += 16)
            {
                Vector512<float> v = Vector512.LoadUnsafe(ref w0, j);
                a0 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref xRef0, j), a0);
                b0 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref xRef1, j), b0);
            }

            Unsafe.Add(ref oRef0, row) = Vector256.Sum(Fold(a0));
            Unsafe.Add(ref oRef1, row) = Vector256.Sum(Fold(b0));
        }
    }

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
    /// <paramref name="keyStride"/> positions per head dimension), so 8 positions are scored per Vector256 with no
    /// horizontal sums. Writes whole blocks of 8, so <paramref name="scores"/> must hold <c>Pad(count)</c> floats.
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
    /// of 8 become 0, so whole blocks can be read.
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
    /// output = scale * sum over t of weights[t] * (value row t); value rows are <c>output.Length</c> floats, one per position.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void WeightedValues(ReadOnlySpan<float> weights, ReadOnlySpan<float> values, float scale, Span<float> output)
    {
        int headSize = output.Length;
        int count = weights.Length;
        if ((long)count * headSize > values.Length)
        {
            throw new ArgumentException("Value cache and weight sizes disagree.");
        }

        if (!Vector256.IsHardwareAccelerated || (headSize & 7) != 0)
        {
            output.Clear();
            for (int t = 0; t < count; t++)
            {
                TensorPrimitives.MultiplyAdd(values.Slice(t * headSize, headSize), weights[t], output, output);
            }

            TensorPrimitives.Multiply(output, scale, output);
            return;
        }

        ref float vRef = ref MemoryMarshal.GetReference(values);
        ref float wRef = ref MemoryMarshal.GetReference(weights);
        ref float oRef = ref MemoryMarshal.GetReference(output);
        for (int d = 0; d < headSize; d += 8)
        {
            ref float column = ref Unsafe.Add(ref vRef, d);
            Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
            int t = 0;
            for (; t + 4 <= count; t += 4)
            {
                a0 = MulAdd(Vector256.Create(Unsafe.Add(ref wRef, t)), Vector256.LoadUnsafe(ref Unsafe.Add(ref column, (nint)t * headSize)), a0);
                a1 = MulAdd(Vector256.Create(Unsafe.Add(ref wRef, t + 1)), Vector256.LoadUnsafe(ref Unsafe.Add(ref column, (nint)(t + 1) * headSize)), a1);
                a2 = MulAdd(Vector256.Create(Unsafe.Add(ref wRef, t + 2)), Vector256.LoadUnsafe(ref Unsafe.Add(ref column, (nint)(t + 2) * headSize)), a2);
                a3 = MulAdd(Vector256.Create(Unsafe.Add(ref wRef, t + 3)), Vector256.LoadUnsafe(ref Unsafe.Add(ref column, (nint)(t + 3) * headSize)), a3);
            }

            for (; t < count; t++)
            {
                a0 = MulAdd(Vector256.Create(Unsafe.Add(ref wRef, t)), Vector256.LoadUnsafe(ref Unsafe.Add(ref column, (nint)t * headSize)), a0);
            }

            (((a0 + a1) + (a2 + a3)) * scale).StoreUnsafe(ref oRef, (nuint)d);
        }
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
        Vector512<int> bits = (Vector512.ConvertToInt32(n) + Vector512.Create(127)) << 23;
        return Vector512.AndNot(p * bits.AsSingle(), underflow);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Fold(Vector512<float> v) => v.GetLower() + v.GetUpper();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> MulAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : (a * b) + c;

    // The four horizontal sums of four accumulators as one Vector128.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Sum4(Vector256<float> a0, Vector256<float> a1, Vector256<float> a2, Vector256<float> a3)
    {
        if (Avx.IsSupported)
        {
            Vector256<float> h = Avx.HorizontalAdd(Avx.HorizontalAdd(a0, a1), Avx.HorizontalAdd(a2, a3));
            return h.GetLower() + h.GetUpper();
        }

        return Vector128.Create(Vector256.Sum(a0), Vector256.Sum(a1), Vector256.Sum(a2), Vector256.Sum(a3));
    }
}
