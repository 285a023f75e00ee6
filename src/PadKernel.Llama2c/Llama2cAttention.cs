using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace PadKernel.Llama2c;

/// <summary>
/// Attention of the two query heads that share one KV head (grouped-query attention with 8-float heads, the story
/// models' shape) in one pass over that head's cache: each 16-position block of keys and of values is loaded once
/// for both heads. Same arithmetic as <see cref="Llama2cKernels.Scores"/>, <see cref="Llama2cKernels.ExpNormalize"/>
/// and <see cref="Llama2cKernels.WeightedValues"/> applied head by head (so the results are bit-identical to them),
/// with the running maximum folded into the score pass.
/// </summary>
internal static class Llama2cAttention
{
    /// <summary>Gets whether <see cref="AttendPair"/> runs on this machine (AVX-512).</summary>
    public static bool IsSupported => Vector512.IsHardwareAccelerated;

    /// <summary>
    /// out_h = softmax(q_h · K) · V for the two heads h of one KV head; q is pre-scaled by 1/sqrt(8). Keys and values are
    /// 8 rows of <paramref name="stride"/> positions; <paramref name="scores"/> holds 2 × stride floats of scratch.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AttendPair(ReadOnlySpan<float> q, ReadOnlySpan<float> keys, ReadOnlySpan<float> values, int stride, int count, Span<float> scores, Span<float> output)
    {
        const int HeadSize = 8;
        int blocks = Llama2cKernels.Pad(count);
        if (!IsSupported || q.Length < 2 * HeadSize || output.Length < 2 * HeadSize || count <= 0 || blocks > stride
            || keys.Length < HeadSize * stride || values.Length < HeadSize * stride || scores.Length < 2 * stride)
        {
            throw new ArgumentException("Query, cache and scratch sizes disagree.");
        }

        ref float s0 = ref MemoryMarshal.GetReference(scores);
        ref float s1 = ref Unsafe.Add(ref s0, stride);
        Vector512<float> max0 = Scores(q, ref MemoryMarshal.GetReference(keys), stride, count, blocks, ref s0, ref s1, out Vector512<float> max1);

        Vector512<float> sum0 = default, sum1 = default;
        Vector512<float> m0 = Broadcast(Reduce(max0)), m1 = Broadcast(Reduce(max1));
        for (nuint t = 0; t < (nuint)blocks; t += 16)
        {
            Vector512<float> e0 = Llama2cKernels.Exp(Vector512.LoadUnsafe(ref s0, t) - m0);
            Vector512<float> e1 = Llama2cKernels.Exp(Vector512.LoadUnsafe(ref s1, t) - m1);
            e0.StoreUnsafe(ref s0, t);
            e1.StoreUnsafe(ref s1, t);
            sum0 += e0;
            sum1 += e1;
        }

        float scale0 = 1f / Vector256.Sum(Llama2cKernels.Fold(sum0));
        float scale1 = 1f / Vector256.Sum(Llama2cKernels.Fold(sum1));
        WeightedValues(ref MemoryMarshal.GetReference(values), stride, blocks, ref s0, ref s1, scale0, scale1, output);
    }

    // Scores of both heads, 16 positions per block, with each head's running maximum; lanes past count become -inf.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Scores(ReadOnlySpan<float> q, ref float k0, int stride, int count, int blocks, ref float s0, ref float s1, out Vector512<float> max1)
    {
        Vector512<float> a0 = Vector512.Create(q[0]), a1 = Vector512.Create(q[1]), a2 = Vector512.Create(q[2]), a3 = Vector512.Create(q[3]);
        Vector512<float> a4 = Vector512.Create(q[4]), a5 = Vector512.Create(q[5]), a6 = Vector512.Create(q[6]), a7 = Vector512.Create(q[7]);
        Vector512<float> b0 = Vector512.Create(q[8]), b1 = Vector512.Create(q[9]), b2 = Vector512.Create(q[10]), b3 = Vector512.Create(q[11]);
        Vector512<float> b4 = Vector512.Create(q[12]), b5 = Vector512.Create(q[13]), b6 = Vector512.Create(q[14]), b7 = Vector512.Create(q[15]);
        nint r1 = stride, r2 = 2 * (nint)stride, r3 = 3 * (nint)stride;
        ref float k4 = ref Unsafe.Add(ref k0, 4 * (nint)stride);
        Vector512<float> max0 = Vector512.Create(float.NegativeInfinity);
        max1 = max0;
        Vector512<float> lanes = Vector512.Create(0f, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        for (nuint t = 0; t < (nuint)blocks; t += 16)
        {
            ref float kt = ref Unsafe.Add(ref k0, t);
            ref float kh = ref Unsafe.Add(ref k4, t);
            Vector512<float> k = Vector512.LoadUnsafe(ref kt);
            Vector512<float> x0 = k * a0, y0 = k * b0;
            k = Vector512.LoadUnsafe(ref kh);
            Vector512<float> x1 = k * a4, y1 = k * b4;
            k = Vector512.LoadUnsafe(ref Unsafe.Add(ref kt, r1));
            x0 = Vector512.FusedMultiplyAdd(k, a1, x0);
            y0 = Vector512.FusedMultiplyAdd(k, b1, y0);
            k = Vector512.LoadUnsafe(ref Unsafe.Add(ref kh, r1));
            x1 = Vector512.FusedMultiplyAdd(k, a5, x1);
            y1 = Vector512.FusedMultiplyAdd(k, b5, y1);
            k = Vector512.LoadUnsafe(ref Unsafe.Add(ref kt, r2));
            x0 = Vector512.FusedMultiplyAdd(k, a2, x0);
            y0 = Vector512.FusedMultiplyAdd(k, b2, y0);
            k = Vector512.LoadUnsafe(ref Unsafe.Add(ref kh, r2));
            x1 = Vector512.FusedMultiplyAdd(k, a6, x1);
            y1 = Vector512.FusedMultiplyAdd(k, b6, y1);
            k = Vector512.LoadUnsafe(ref Unsafe.Add(ref kt, r3));
            x0 = Vector512.FusedMultiplyAdd(k, a3, x0);
            y0 = Vector512.FusedMultiplyAdd(k, b3, y0);
            k = Vector512.LoadUnsafe(ref Unsafe.Add(ref kh, r3));
            x1 = Vector512.FusedMultiplyAdd(k, a7, x1);
            y1 = Vector512.FusedMultiplyAdd(k, b7, y1);
            Vector512<float> h0 = x0 + x1, h1 = y0 + y1;
            if ((int)t + 16 > count)
            {
                Vector512<float> past = Vector512.GreaterThanOrEqual(lanes, Vector512.Create((float)(count - (int)t)));
                h0 = Vector512.ConditionalSelect(past, Vector512.Create(float.NegativeInfinity), h0);
                h1 = Vector512.ConditionalSelect(past, Vector512.Create(float.NegativeInfinity), h1);
            }

            h0.StoreUnsafe(ref s0, t);
            h1.StoreUnsafe(ref s1, t);
            max0 = Vector512.Max(max0, h0);
            max1 = Vector512.Max(max1, h1);
        }

        return max0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WeightedValues(ref float v0, int stride, int blocks, ref float w0, ref float w1, float scale0, float scale1, Span<float> output)
    {
        nint r1 = stride, r2 = 2 * (nint)stride, r3 = 3 * (nint)stride;
        ref float v4 = ref Unsafe.Add(ref v0, 4 * (nint)stride);
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
        Vector512<float> d0 = default, d1 = default, d2 = default, d3 = default, d4 = default, d5 = default, d6 = default, d7 = default;
        for (nuint t = 0; t < (nuint)blocks; t += 16)
        {
            Vector512<float> a = Vector512.LoadUnsafe(ref w0, t);
            Vector512<float> b = Vector512.LoadUnsafe(ref w1, t);
            ref float r0 = ref Unsafe.Add(ref v0, t);
            ref float rh = ref Unsafe.Add(ref v4, t);
            Vector512<float> v = Vector512.LoadUnsafe(ref r0);
            c0 = Vector512.FusedMultiplyAdd(a, v, c0);
            d0 = Vector512.FusedMultiplyAdd(b, v, d0);
            v = Vector512.LoadUnsafe(ref Unsafe.Add(ref r0, r1));
            c1 = Vector512.FusedMultiplyAdd(a, v, c1);
            d1 = Vector512.FusedMultiplyAdd(b, v, d1);
            v = Vector512.LoadUnsafe(ref Unsafe.Add(ref r0, r2));
            c2 = Vector512.FusedMultiplyAdd(a, v, c2);
            d2 = Vector512.FusedMultiplyAdd(b, v, d2);
            v = Vector512.LoadUnsafe(ref Unsafe.Add(ref r0, r3));
            c3 = Vector512.FusedMultiplyAdd(a, v, c3);
            d3 = Vector512.FusedMultiplyAdd(b, v, d3);
            v = Vector512.LoadUnsafe(ref rh);
            c4 = Vector512.FusedMultiplyAdd(a, v, c4);
            d4 = Vector512.FusedMultiplyAdd(b, v, d4);
            v = Vector512.LoadUnsafe(ref Unsafe.Add(ref rh, r1));
            c5 = Vector512.FusedMultiplyAdd(a, v, c5);
            d5 = Vector512.FusedMultiplyAdd(b, v, d5);
            v = Vector512.LoadUnsafe(ref Unsafe.Add(ref rh, r2));
            c6 = Vector512.FusedMultiplyAdd(a, v, c6);
            d6 = Vector512.FusedMultiplyAdd(b, v, d6);
            v = Vector512.LoadUnsafe(ref Unsafe.Add(ref rh, r3));
            c7 = Vector512.FusedMultiplyAdd(a, v, c7);
            d7 = Vector512.FusedMultiplyAdd(b, v, d7);
        }

        ref float o = ref MemoryMarshal.GetReference(output);
        Vector128<float> f0 = Vector128.Create(scale0), f1 = Vector128.Create(scale1);
        (Llama2cKernels.Sum4(Llama2cKernels.Fold(c0), Llama2cKernels.Fold(c1), Llama2cKernels.Fold(c2), Llama2cKernels.Fold(c3)) * f0).StoreUnsafe(ref o);
        (Llama2cKernels.Sum4(Llama2cKernels.Fold(c4), Llama2cKernels.Fold(c5), Llama2cKernels.Fold(c6), Llama2cKernels.Fold(c7)) * f0).StoreUnsafe(ref o, 4);
        (Llama2cKernels.Sum4(Llama2cKernels.Fold(d0), Llama2cKernels.Fold(d1), Llama2cKernels.Fold(d2), Llama2cKernels.Fold(d3)) * f1).StoreUnsafe(ref o, 8);
        (Llama2cKernels.Sum4(Llama2cKernels.Fold(d4), Llama2cKernels.Fold(d5), Llama2cKernels.Fold(d6), Llama2cKernels.Fold(d7)) * f1).StoreUnsafe(ref o, 12);
    }

    // The maximum of all lanes.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Reduce(Vector512<float> v)
    {
        Vector256<float> m = Vector256.Max(v.GetLower(), v.GetUpper());
        m = Vector256.Max(m, Vector256.Create(m.GetUpper(), m.GetLower()));
        m = Vector256.Max(m, Vector256.Shuffle(m, Vector256.Create(2, 3, 0, 1, 6, 7, 4, 5)));
        return Vector256.Max(m, Vector256.Shuffle(m, Vector256.Create(1, 0, 3, 2, 5, 4, 7, 6)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Broadcast(Vector256<float> v) => Vector512.Create(v, v);
}
