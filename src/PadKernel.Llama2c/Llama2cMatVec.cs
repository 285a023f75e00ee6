using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace PadKernel.Llama2c;

/// <summary>
/// Matrix-vector products over weights stored as panels: a matrix of R rows and C columns becomes R/16 panels (rows
/// padded to a multiple of 16 with zeros), each panel C × 16 floats holding column j of its 16 rows contiguously.
/// An output block of 16 rows is then one vector accumulator fed by one broadcast input value per column: no
/// horizontal sums, and every output element is the same sequential fused multiply-add chain over j on every path,
/// so batched and single products are bit-identical. The batched forms load each panel once for 2 or 4 inputs,
/// which is what makes a batch cheaper than its sequences one by one: at this model size the products are bound by
/// how fast the weights stream from cache.
/// </summary>
internal static class Llama2cMatVec
{
    /// <summary>The number of rows per panel.</summary>
    public const int PanelRows = 16;

    /// <summary>Repacks a row-major <paramref name="rows"/> × <paramref name="columns"/> matrix into panels.</summary>
    public static void Pack(ReadOnlySpan<float> matrix, int rows, int columns, Span<float> panels)
    {
        int panelCount = Llama2cKernels.Pad(rows) / PanelRows;
        if (matrix.Length < rows * columns || panels.Length < panelCount * PanelRows * columns)
        {
            throw new ArgumentException("Matrix and panel sizes disagree.");
        }

        panels[..(panelCount * PanelRows * columns)].Clear();
        for (int r = 0; r < rows; r++)
        {
            Span<float> panel = panels.Slice((r / PanelRows) * PanelRows * columns);
            int lane = r % PanelRows;
            for (int j = 0; j < columns; j++)
            {
                panel[(j * PanelRows) + lane] = matrix[(r * columns) + j];
            }
        }
    }

    /// <summary>output = W · x, with output.Length the padded row count (a multiple of 16).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(ReadOnlySpan<float> panels, int columns, ReadOnlySpan<float> x, Span<float> output)
    {
        int blocks = Check(panels, columns, x, output);
        ref float w = ref MemoryMarshal.GetReference(panels);
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float o = ref MemoryMarshal.GetReference(output);
        nint panel = (nint)columns * PanelRows;
        int b = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            // Eight panels at a time: eight independent accumulation chains keep both FMA pipes busy.
            for (; b + 8 <= blocks; b += 8)
            {
                ref float p0 = ref Unsafe.Add(ref w, b * panel);
                Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
                for (nint j = 0; j < columns; j++)
                {
                    Vector512<float> xv = Vector512.Create(Unsafe.Add(ref xr, j));
                    ref float pj = ref Unsafe.Add(ref p0, j * PanelRows);
                    a0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref pj), xv, a0);
                    a1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref Unsafe.Add(ref pj, panel)), xv, a1);
                    a2 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref Unsafe.Add(ref pj, 2 * panel)), xv, a2);
                    a3 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref Unsafe.Add(ref pj, 3 * panel)), xv, a3);
                    a4 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref Unsafe.Add(ref pj, 4 * panel)), xv, a4);
                    a5 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref Unsafe.Add(ref pj, 5 * panel)), xv, a5);
                    a6 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref Unsafe.Add(ref pj, 6 * panel)), xv, a6);
                    a7 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref Unsafe.Add(ref pj, 7 * panel)), xv, a7);
                }

                ref float ob = ref Unsafe.Add(ref o, b * PanelRows);
                a0.StoreUnsafe(ref ob);
                a1.StoreUnsafe(ref ob, 16);
                a2.StoreUnsafe(ref ob, 32);
                a3.StoreUnsafe(ref ob, 48);
                a4.StoreUnsafe(ref ob, 64);
                a5.StoreUnsafe(ref ob, 80);
                a6.StoreUnsafe(ref ob, 96);
                a7.StoreUnsafe(ref ob, 112);
            }

            for (; b + 4 <= blocks; b += 4)
            {
                ref float p0 = ref Unsafe.Add(ref w, b * panel);
                Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
                for (nint j = 0; j < columns; j++)
                {
                    Vector512<float> xv = Vector512.Create(Unsafe.Add(ref xr, j));
                    ref float pj = ref Unsafe.Add(ref p0, j * PanelRows);
                    a0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref pj), xv, a0);
                    a1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref Unsafe.Add(ref pj, panel)), xv, a1);
                    a2 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref Unsafe.Add(ref pj, 2 * panel)), xv, a2);
                    a3 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref Unsafe.Add(ref pj, 3 * panel)), xv, a3);
                }

                ref float ob = ref Unsafe.Add(ref o, b * PanelRows);
                a0.StoreUnsafe(ref ob);
                a1.StoreUnsafe(ref ob, 16);
                a2.StoreUnsafe(ref ob, 32);
                a3.StoreUnsafe(ref ob, 48);
            }

            for (; b < blocks; b++)
            {
                ref float p0 = ref Unsafe.Add(ref w, b * panel);
                Vector512<float> a0 = default;
                for (nint j = 0; j < columns; j++)
                {
                    a0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref Unsafe.Add(ref p0, j * PanelRows)), Vector512.Create(Unsafe.Add(ref xr, j)), a0);
                }

                a0.StoreUnsafe(ref Unsafe.Add(ref o, b * PanelRows));
            }

            return;
        }

        if (Vector256.IsHardwareAccelerated)
        {
            // Two panels (four half-panel accumulators) at a time fit the 16 AVX2 registers.
            for (; b + 2 <= blocks; b += 2)
            {
                ref float p0 = ref Unsafe.Add(ref w, b * panel);
                Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
                for (nint j = 0; j < columns; j++)
                {
                    Vector256<float> xv = Vector256.Create(Unsafe.Add(ref xr, j));
                    ref float pj = ref Unsafe.Add(ref p0, j * PanelRows);
                    a0 = Llama2cKernels.MulAdd(Vector256.LoadUnsafe(ref pj), xv, a0);
                    a1 = Llama2cKernels.MulAdd(Vector256.LoadUnsafe(ref pj, 8), xv, a1);
                    a2 = Llama2cKernels.MulAdd(Vector256.LoadUnsafe(ref Unsafe.Add(ref pj, panel)), xv, a2);
                    a3 = Llama2cKernels.MulAdd(Vector256.LoadUnsafe(ref Unsafe.Add(ref pj, panel), 8), xv, a3);
                }

                ref float ob = ref Unsafe.Add(ref o, b * PanelRows);
                a0.StoreUnsafe(ref ob);
                a1.StoreUnsafe(ref ob, 8);
                a2.StoreUnsafe(ref ob, 16);
                a3.StoreUnsafe(ref ob, 24);
            }

            for (; b < blocks; b++)
            {
                ref float p0 = ref Unsafe.Add(ref w, b * panel);
                Vector256<float> a0 = default, a1 = default;
                for (nint j = 0; j < columns; j++)
                {
                    Vector256<float> xv = Vector256.Create(Unsafe.Add(ref xr, j));
                    ref float pj = ref Unsafe.Add(ref p0, j * PanelRows);
                    a0 = Llama2cKernels.MulAdd(Vector256.LoadUnsafe(ref pj), xv, a0);
                    a1 = Llama2cKernels.MulAdd(Vector256.LoadUnsafe(ref pj, 8), xv, a1);
                }

                ref float ob = ref Unsafe.Add(ref o, b * PanelRows);
                a0.StoreUnsafe(ref ob);
                a1.StoreUnsafe(ref ob, 8);
            }

            return;
        }

        Span<float> acc = stackalloc float[PanelRows];
        for (; b < blocks; b++)
        {
            acc.Clear();
            ReadOnlySpan<float> p = panels.Slice(b * (int)panel, (int)panel);
            for (int j = 0; j < columns; j++)
            {
                float xj = x[j];
                for (int r = 0; r < PanelRows; r++)
                {
                    acc[r] = MathF.FusedMultiplyAdd(p[(j * PanelRows) + r], xj, acc[r]);
                }
            }

            acc.CopyTo(output.Slice(b * PanelRows, PanelRows));
        }
    }

    /// <summary>Two products with the same matrix, each panel loaded once for both inputs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply2(ReadOnlySpan<float> panels, int columns, ReadOnlySpan<float> x0, ReadOnlySpan<float> x1, Span<float> output0, Span<float> output1)
    {
        if (!Vector512.IsHardwareAccelerated)
        {
            Multiply(panels, columns, x0, output0);
            Multiply(panels, columns, x1, output1);
            return;
        }

        int blocks = Check(panels, columns, x0, output0);
        Check(panels, columns, x1, output1);
        ref float w = ref MemoryMarshal.GetReference(panels);
        ref float xa = ref MemoryMarshal.GetReference(x0);
        ref float xb = ref MemoryMarshal.GetReference(x1);
        ref float oa = ref MemoryMarshal.GetReference(output0);
        ref float ob = ref MemoryMarshal.GetReference(output1);
        nint panel = (nint)columns * PanelRows;
        int b = 0;
        for (; b + 4 <= blocks; b += 4)
        {
            ref float p0 = ref Unsafe.Add(ref w, b * panel);
            Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
            Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default;
            for (nint j = 0; j < columns; j++)
            {
                Vector512<float> va = Vector512.Create(Unsafe.Add(ref xa, j));
                Vector512<float> vb = Vector512.Create(Unsafe.Add(ref xb, j));
                ref float pj = ref Unsafe.Add(ref p0, j * PanelRows);
                Vector512<float> m = Vector512.LoadUnsafe(ref pj);
                a0 = Vector512.FusedMultiplyAdd(m, va, a0);
                c0 = Vector512.FusedMultiplyAdd(m, vb, c0);
                m = Vector512.LoadUnsafe(ref Unsafe.Add(ref pj, panel));
                a1 = Vector512.FusedMultiplyAdd(m, va, a1);
                c1 = Vector512.FusedMultiplyAdd(m, vb, c1);
                m = Vector512.LoadUnsafe(ref Unsafe.Add(ref pj, 2 * panel));
                a2 = Vector512.FusedMultiplyAdd(m, va, a2);
                c2 = Vector512.FusedMultiplyAdd(m, vb, c2);
                m = Vector512.LoadUnsafe(ref Unsafe.Add(ref pj, 3 * panel));
                a3 = Vector512.FusedMultiplyAdd(m, va, a3);
                c3 = Vector512.FusedMultiplyAdd(m, vb, c3);
            }

            ref float da = ref Unsafe.Add(ref oa, b * PanelRows);
            ref float db = ref Unsafe.Add(ref ob, b * PanelRows);
            a0.StoreUnsafe(ref da);
            a1.StoreUnsafe(ref da, 16);
            a2.StoreUnsafe(ref da, 32);
            a3.StoreUnsafe(ref da, 48);
            c0.StoreUnsafe(ref db);
            c1.StoreUnsafe(ref db, 16);
            c2.StoreUnsafe(ref db, 32);
            c3.StoreUnsafe(ref db, 48);
        }

        for (; b < blocks; b++)
        {
            ref float p0 = ref Unsafe.Add(ref w, b * panel);
            Vector512<float> a0 = default, c0 = default;
            for (nint j = 0; j < columns; j++)
            {
                Vector512<float> m = Vector512.LoadUnsafe(ref Unsafe.Add(ref p0, j * PanelRows));
                a0 = Vector512.FusedMultiplyAdd(m, Vector512.Create(Unsafe.Add(ref xa, j)), a0);
                c0 = Vector512.FusedMultiplyAdd(m, Vector512.Create(Unsafe.Add(ref xb, j)), c0);
            }

            a0.StoreUnsafe(ref Unsafe.Add(ref oa, b * PanelRows));
            c0.StoreUnsafe(ref Unsafe.Add(ref ob, b * PanelRows));
        }
    }

    /// <summary>Four products with the same matrix, each panel loaded once for all four inputs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply4(ReadOnlySpan<float> panels, int columns, ReadOnlySpan<float> x0, ReadOnlySpan<float> x1, ReadOnlySpan<float> x2, ReadOnlySpan<float> x3, Span<float> output0, Span<float> output1, Span<float> output2, Span<float> output3)
    {
        if (!Vector512.IsHardwareAccelerated)
        {
            Multiply2(panels, columns, x0, x1, output0, output1);
            Multiply2(panels, columns, x2, x3, output2, output3);
            return;
        }

        int blocks = Check(panels, columns, x0, output0);
        Check(panels, columns, x1, output1);
        Check(panels, columns, x2, output2);
        Check(panels, columns, x3, output3);
        ref float w = ref MemoryMarshal.GetReference(panels);
        ref float x0r = ref MemoryMarshal.GetReference(x0);
        ref float x1r = ref MemoryMarshal.GetReference(x1);
        ref float x2r = ref MemoryMarshal.GetReference(x2);
        ref float x3r = ref MemoryMarshal.GetReference(x3);
        nint panel = (nint)columns * PanelRows;
        int b = 0;
        for (; b + 2 <= blocks; b += 2)
        {
            ref float p0 = ref Unsafe.Add(ref w, b * panel);
            Vector512<float> a0 = default, a1 = default, c0 = default, c1 = default, d0 = default, d1 = default, e0 = default, e1 = default;
            for (nint j = 0; j < columns; j++)
            {
                ref float pj = ref Unsafe.Add(ref p0, j * PanelRows);
                Vector512<float> m0 = Vector512.LoadUnsafe(ref pj);
                Vector512<float> m1 = Vector512.LoadUnsafe(ref Unsafe.Add(ref pj, panel));
                Vector512<float> v = Vector512.Create(Unsafe.Add(ref x0r, j));
                a0 = Vector512.FusedMultiplyAdd(m0, v, a0);
                a1 = Vector512.FusedMultiplyAdd(m1, v, a1);
                v = Vector512.Create(Unsafe.Add(ref x1r, j));
                c0 = Vector512.FusedMultiplyAdd(m0, v, c0);
                c1 = Vector512.FusedMultiplyAdd(m1, v, c1);
                v = Vector512.Create(Unsafe.Add(ref x2r, j));
                d0 = Vector512.FusedMultiplyAdd(m0, v, d0);
                d1 = Vector512.FusedMultiplyAdd(m1, v, d1);
                v = Vector512.Create(Unsafe.Add(ref x3r, j));
                e0 = Vector512.FusedMultiplyAdd(m0, v, e0);
                e1 = Vector512.FusedMultiplyAdd(m1, v, e1);
            }

            int at = b * PanelRows;
            Store2(a0, a1, output0, at);
            Store2(c0, c1, output1, at);
            Store2(d0, d1, output2, at);
            Store2(e0, e1, output3, at);
        }

        if (b < blocks)
        {
            ref float p0 = ref Unsafe.Add(ref w, b * panel);
            Vector512<float> a0 = default, c0 = default, d0 = default, e0 = default;
            for (nint j = 0; j < columns; j++)
            {
                Vector512<float> m = Vector512.LoadUnsafe(ref Unsafe.Add(ref p0, j * PanelRows));
                a0 = Vector512.FusedMultiplyAdd(m, Vector512.Create(Unsafe.Add(ref x0r, j)), a0);
                c0 = Vector512.FusedMultiplyAdd(m, Vector512.Create(Unsafe.Add(ref x1r, j)), c0);
                d0 = Vector512.FusedMultiplyAdd(m, Vector512.Create(Unsafe.Add(ref x2r, j)), d0);
                e0 = Vector512.FusedMultiplyAdd(m, Vector512.Create(Unsafe.Add(ref x3r, j)), e0);
            }

            int at = b * PanelRows;
            a0.StoreUnsafe(ref MemoryMarshal.GetReference(output0), (nuint)at);
            c0.StoreUnsafe(ref MemoryMarshal.GetReference(output1), (nuint)at);
            d0.StoreUnsafe(ref MemoryMarshal.GetReference(output2), (nuint)at);
            e0.StoreUnsafe(ref MemoryMarshal.GetReference(output3), (nuint)at);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store2(Vector512<float> first, Vector512<float> second, Span<float> output, int at)
    {
        ref float o = ref Unsafe.Add(ref MemoryMarshal.GetReference(output), at);
        first.StoreUnsafe(ref o);
        second.StoreUnsafe(ref o, 16);
    }

    private static int Check(ReadOnlySpan<float> panels, int columns, ReadOnlySpan<float> x, Span<float> output)
    {
        if (columns <= 0 || (output.Length % PanelRows) != 0 || x.Length < columns || (long)output.Length * columns > panels.Length)
        {
            throw new ArgumentException("Panel, input and output sizes disagree.");
        }

        return output.Length / PanelRows;
    }
}
