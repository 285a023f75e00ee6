using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PadKernel.Llama2c;

/// <summary>
/// The numeric kernels of the forward pass. Matrices are row-major with rows padded to a multiple of 8 floats (and
/// the padding zeroed), and input vectors are padded the same way, so the Vector256 loops need no tails.
/// </summary>
internal static class Llama2cKernels
{
    /// <summary>Gets whether the Vector256 paths run; otherwise the TensorPrimitives fallbacks do.</summary>
    public static bool Vectorized { get; } = Vector256.IsHardwareAccelerated;

    /// <summary>Rounds up to a multiple of 8 floats (one Vector256).</summary>
    public static int Pad(int count) => (count + 7) & ~7;

    /// <summary>output[r] = dot(row r of w, x) for each r; rows are <paramref name="stride"/> floats apart and x holds <paramref name="stride"/> floats.</summary>
    public static void MatVec(ReadOnlySpan<float> w, int stride, ReadOnlySpan<float> x, Span<float> output)
    {
        int rows = output.Length;
        if ((long)rows * stride > w.Length || x.Length < stride || (stride & 7) != 0)
        {
            throw new ArgumentException("Matrix, vector and output sizes disagree.");
        }

        if (!Vectorized)
        {
            for (int r = 0; r < rows; r++)
            {
                output[r] = TensorPrimitives.Dot(w.Slice(r * stride, stride), x[..stride]);
            }

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
    public static void MatVec2(ReadOnlySpan<float> w, int stride, ReadOnlySpan<float> x0, ReadOnlySpan<float> x1, Span<float> output0, Span<float> output1)
    {
        int rows = output0.Length;
        if (!Vectorized || output1.Length != rows || (long)rows * stride > w.Length || x0.Length < stride || x1.Length < stride || (stride & 7) != 0)
        {
            MatVec(w, stride, x0, output0);
            MatVec(w, stride, x1, output1);
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

    /// <summary>o = weight * (x / rms(x)), with llama2.c's epsilon of 1e-5. <paramref name="o"/> may alias <paramref name="x"/>.</summary>
    public static void RmsNorm(Span<float> o, ReadOnlySpan<float> x, ReadOnlySpan<float> weight)
    {
        float ss = TensorPrimitives.SumOfSquares(x);
        ss = (ss / x.Length) + 1e-5f;
        ss = 1f / MathF.Sqrt(ss);
        TensorPrimitives.Multiply(x, ss, o);
        TensorPrimitives.Multiply(o, weight, o);
    }

    /// <summary>
    /// Attention scores of one query head against every cached key of its KV head:
    /// scores[t] = dot(q, key at t) for t in [0, count). Keys are stored transposed (one row of
    /// <paramref name="keyStride"/> positions per head dimension), so 8 positions are scored per Vector256 with no
    /// horizontal sums. Writes whole blocks of 8, so <paramref name="scores"/> must hold <c>Pad(count)</c> floats.
    /// </summary>
    public static void Scores(ReadOnlySpan<float> q, ReadOnlySpan<float> keys, int keyStride, int count, Span<float> scores)
    {
        int headSize = q.Length;
        int blocks = Pad(count);
        if (blocks > keyStride || scores.Length < blocks || (long)(headSize - 1) * keyStride + blocks > keys.Length)
        {
            throw new ArgumentException("Key cache, query and score sizes disagree.");
        }

        if (!Vectorized)
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

    /// <summary>Replaces scores[0..count) by exp(score - max) and returns their sum (an unnormalized softmax).</summary>
    public static float ExpNormalize(Span<float> scores)
    {
        float max = TensorPrimitives.Max(scores);
        TensorPrimitives.Subtract(scores, max, scores);
        TensorPrimitives.Exp(scores, scores);
        return TensorPrimitives.Sum(scores);
    }

    /// <summary>
    /// output = scale * sum over t of weights[t] * (value row t); value rows are <c>output.Length</c> floats, one per position.
    /// </summary>
    public static void WeightedValues(ReadOnlySpan<float> weights, ReadOnlySpan<float> values, float scale, Span<float> output)
    {
        int headSize = output.Length;
        int count = weights.Length;
        if ((long)count * headSize > values.Length)
        {
            throw new ArgumentException("Value cache and weight sizes disagree.");
        }

        if (!Vectorized || (headSize & 7) != 0)
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

    /// <summary>hb[i] = silu(h1[i]) * h3[i], SwiGLU's gate.</summary>
    public static void SwiGlu(ReadOnlySpan<float> h1, ReadOnlySpan<float> h3, Span<float> hb)
    {
        // silu(x) = x * sigmoid(x)
        TensorPrimitives.Sigmoid(h1, hb);
        TensorPrimitives.Multiply(hb, h1, hb);
        TensorPrimitives.Multiply(hb, h3, hb);
    }

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
