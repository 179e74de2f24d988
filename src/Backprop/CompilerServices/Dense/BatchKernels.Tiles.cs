using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Backprop.CompilerServices;

/// <summary>The register tiles behind <see cref="BatchKernels"/>' public entry points.</summary>
public static partial class BatchKernels
{
    /// <summary>What a product tile does with its sums: store them, add them into C, or store bias + sum.</summary>
    private enum Finish
    {
        /// <summary>C = sum.</summary>
        Set,

        /// <summary>C = C + sum.</summary>
        Add,

        /// <summary>C = bias[column] + sum.</summary>
        Bias,
    }

    /// <summary>
    /// C (m × <paramref name="valid"/>) = A·B finished as <paramref name="finish"/> says, where A[i, p] is at i·<paramref name="aRowStep"/> +
    /// p·<paramref name="aDepthStep"/> (so A may be read transposed) and B[p, j] at p·<paramref name="ldb"/> + j: an
    /// NN product with vectors along B's rows and one broadcast element of A per row of the tile, MLAS's and BLIS's
    /// micro-kernel shape. B (and the bias) may be padded with zeros to n columns, a whole number of vectors, of
    /// which the first <paramref name="valid"/> are stored. Rows go in tiles of <see cref="TileRows"/> (the last four
    /// or fewer, or the last eight, in tiles of four), each tile sweeping every panel of two vectors of columns (one call per six rows, as MLAS's kernels loop over N inside:
    /// at 128 × 10 over 32 rows, Propagate 1.3 µs against 1.6 with one call per panel and row tile); a last vector of
    /// columns takes a one-vector tile, and fewer columns than a vector the same tiles one element wide.
    /// </summary>
    private static void Multiply<T, TVector, TLanes>(
        ref T a, nuint aRowStep, nuint aDepthStep, ref T b, nuint ldb, ref T c, nuint ldc, ref T bias, int m, int n, int valid, int depth, Finish finish)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TLanes : ILanes<TVector, T>
    {
        int width = TLanes.Count;
        int j = 0;
        // Rows outer, column panels inside the tile: the tile's pointers are set up once per six rows, and B (W, X or
        // the packed Wᵀ) is read again per row tile from L1 or L2, as in MLAS's kernels.
        int panelEnd = n - (n % (2 * width));
        if (panelEnd > 0)
        {
            for (int i = 0; i < m;)
            {
                int left = m - i;
                ref T ai = ref Unsafe.Add(ref a, (nuint)i * aRowStep);
                ref T ci = ref Unsafe.Add(ref c, (nuint)i * ldc);
                if (left <= 4 || left == 8)
                {
                    // Four rows or fewer left, or eight (two tiles of four, where six and two would cost two of six).
                    int rows = Math.Min(4, left);
                    Tile4x2<T, TVector, TLanes>(ref ai, aRowStep, aDepthStep, rows, ref b, ldb, ref ci, ldc, ref bias, depth, panelEnd, valid, finish);
                    i += rows;
                }
                else
                {
                    int rows = Math.Min(TileRows, left);
                    Tile6x2<T, TVector, TLanes>(ref ai, aRowStep, aDepthStep, rows, ref b, ldb, ref ci, ldc, ref bias, depth, panelEnd, valid, finish);
                    i += rows;
                }
            }

            j = panelEnd;
        }

        if (j <= n - width)
        {
            for (int i = 0; i < m; i += TileRows)
            {
                Tile6x1<T, TVector, TLanes>(
                    ref Unsafe.Add(ref a, (nuint)i * aRowStep), aRowStep, aDepthStep, Math.Min(TileRows, m - i),
                    ref Unsafe.Add(ref b, j), ldb, ref Unsafe.Add(ref c, ((nuint)i * ldc) + (nuint)j), ldc, ref Unsafe.Add(ref bias, j), depth, valid - j, finish);
            }

            j += width;
        }

        if (j < n)
        {
            // Fewer columns than a vector: the same tiles one element wide (never reached when width is 1).
            Multiply<T, T, ScalarLanes<T>>(
                ref a, aRowStep, aDepthStep, ref Unsafe.Add(ref b, j), ldb, ref Unsafe.Add(ref c, j), ldc, ref Unsafe.Add(ref bias, j), m, n - j, valid - j, depth, finish);
        }
    }

    /// <summary>Rows of C per product tile: 6 rows × 2 vectors is 12 accumulators, 2 of B and a broadcast, 15 of AVX2's 16 registers.</summary>
    private const int TileRows = 6;

    /// <summary>
    /// <paramref name="rows"/> (1 to 6) rows × two vectors of C. Rows past <paramref name="rows"/> read row 0 again
    /// and are not stored: a short tile costs a full one, but runs at the full tile's throughput instead of one
    /// row's FMA latency.
    /// </summary>
    /// <remarks>
    /// Compiled fully optimised from the first call (<see cref="MethodImplOptions.AggressiveOptimization"/>), never by
    /// the tiers: the tier-1 compilation, laid out by synthesized profile data, kept the whole tile's row pointers and
    /// loop counter on the stack, a store and a reload per step on the loop's critical path. Measured (float, AVX2,
    /// .NET 10): 32 × 10 over 256 rows 33 ns a row at tier 1 against 16 fully optimised; the 64-32-10 TrainBatch of 32
    /// rows 12.1 µs against 9.9.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile6x2<T, TVector, TLanes>(
        ref T a, nuint aRowStep, nuint aDepthStep, int rows, ref T b, nuint ldb, ref T c, nuint ldc, ref T bias, int depth, int panelEnd, int valid, Finish finish)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TLanes : ILanes<TVector, T>
    {
        nuint width = (nuint)TLanes.Count;
        ref T a0 = ref a;
        ref T a1 = ref rows > 1 ? ref Unsafe.Add(ref a, aRowStep) : ref a;
        ref T a2 = ref rows > 2 ? ref Unsafe.Add(ref a, 2 * aRowStep) : ref a;
        ref T a3 = ref rows > 3 ? ref Unsafe.Add(ref a, 3 * aRowStep) : ref a;
        ref T a4 = ref rows > 4 ? ref Unsafe.Add(ref a, 4 * aRowStep) : ref a;
        ref T a5 = ref rows > 5 ? ref Unsafe.Add(ref a, 5 * aRowStep) : ref a;
        for (int j = 0; j < panelEnd; j += 2 * TLanes.Count)
        {
            ref T cj = ref Unsafe.Add(ref c, j);
            ref T biasj = ref Unsafe.Add(ref bias, j);
            int columns = valid - j;
            TVector c00 = TLanes.Zero, c01 = TLanes.Zero, c10 = TLanes.Zero, c11 = TLanes.Zero, c20 = TLanes.Zero, c21 = TLanes.Zero;
            TVector c30 = TLanes.Zero, c31 = TLanes.Zero, c40 = TLanes.Zero, c41 = TLanes.Zero, c50 = TLanes.Zero, c51 = TLanes.Zero;
            ref T bp = ref Unsafe.Add(ref b, j);
            if (rows == TileRows)
            {
                // A whole tile: two row pointers (rows 0–2 and 3–5) and the row step in registers, rather than six pointers,
                // which the JIT spilled to the stack (12 loads a step instead of 8).
                ref T p0 = ref a;
                ref T p3 = ref Unsafe.Add(ref a, 3 * aRowStep);
                nuint s1 = aRowStep, s2 = 2 * aRowStep;
                for (int p = 0; p < depth; p++)
                {
                    TVector b0 = TLanes.Load(ref bp, 0);
                    TVector b1 = TLanes.Load(ref bp, width);
                    TVector x = TLanes.Broadcast(p0);
                    c00 = TLanes.MultiplyAdd(x, b0, c00);
                    c01 = TLanes.MultiplyAdd(x, b1, c01);
                    x = TLanes.Broadcast(Unsafe.Add(ref p0, s1));
                    c10 = TLanes.MultiplyAdd(x, b0, c10);
                    c11 = TLanes.MultiplyAdd(x, b1, c11);
                    x = TLanes.Broadcast(Unsafe.Add(ref p0, s2));
                    c20 = TLanes.MultiplyAdd(x, b0, c20);
                    c21 = TLanes.MultiplyAdd(x, b1, c21);
                    x = TLanes.Broadcast(p3);
                    c30 = TLanes.MultiplyAdd(x, b0, c30);
                    c31 = TLanes.MultiplyAdd(x, b1, c31);
                    x = TLanes.Broadcast(Unsafe.Add(ref p3, s1));
                    c40 = TLanes.MultiplyAdd(x, b0, c40);
                    c41 = TLanes.MultiplyAdd(x, b1, c41);
                    x = TLanes.Broadcast(Unsafe.Add(ref p3, s2));
                    c50 = TLanes.MultiplyAdd(x, b0, c50);
                    c51 = TLanes.MultiplyAdd(x, b1, c51);
                    bp = ref Unsafe.Add(ref bp, ldb);
                    p0 = ref Unsafe.Add(ref p0, aDepthStep);
                    p3 = ref Unsafe.Add(ref p3, aDepthStep);
                }
            }
            else
            {
            nuint ap = 0;
            for (int p = 0; p < depth; p++)
            {
                TVector b0 = TLanes.Load(ref bp, 0);
                TVector b1 = TLanes.Load(ref bp, width);
                TVector x = TLanes.Broadcast(Unsafe.Add(ref a0, ap));
                c00 = TLanes.MultiplyAdd(x, b0, c00);
                c01 = TLanes.MultiplyAdd(x, b1, c01);
                x = TLanes.Broadcast(Unsafe.Add(ref a1, ap));
                c10 = TLanes.MultiplyAdd(x, b0, c10);
                c11 = TLanes.MultiplyAdd(x, b1, c11);
                x = TLanes.Broadcast(Unsafe.Add(ref a2, ap));
                c20 = TLanes.MultiplyAdd(x, b0, c20);
                c21 = TLanes.MultiplyAdd(x, b1, c21);
                x = TLanes.Broadcast(Unsafe.Add(ref a3, ap));
                c30 = TLanes.MultiplyAdd(x, b0, c30);
                c31 = TLanes.MultiplyAdd(x, b1, c31);
                x = TLanes.Broadcast(Unsafe.Add(ref a4, ap));
                c40 = TLanes.MultiplyAdd(x, b0, c40);
                c41 = TLanes.MultiplyAdd(x, b1, c41);
                x = TLanes.Broadcast(Unsafe.Add(ref a5, ap));
                c50 = TLanes.MultiplyAdd(x, b0, c50);
                c51 = TLanes.MultiplyAdd(x, b1, c51);
                bp = ref Unsafe.Add(ref bp, ldb);
                ap += aDepthStep;
            }
            }

            PutRow<T, TVector, TLanes>(c00, c01, ref cj, ref biasj, columns, finish);

            if (rows > 1)
            {
                PutRow<T, TVector, TLanes>(c10, c11, ref Unsafe.Add(ref cj, ldc), ref biasj, columns, finish);
            }

            if (rows > 2)
            {
                PutRow<T, TVector, TLanes>(c20, c21, ref Unsafe.Add(ref cj, 2 * ldc), ref biasj, columns, finish);
            }

            if (rows > 3)
            {
                PutRow<T, TVector, TLanes>(c30, c31, ref Unsafe.Add(ref cj, 3 * ldc), ref biasj, columns, finish);
            }

            if (rows > 4)
            {
                PutRow<T, TVector, TLanes>(c40, c41, ref Unsafe.Add(ref cj, 4 * ldc), ref biasj, columns, finish);
            }

            if (rows > 5)
            {
                PutRow<T, TVector, TLanes>(c50, c51, ref Unsafe.Add(ref cj, 5 * ldc), ref biasj, columns, finish);
            }
        }
    }

    /// <summary>
    /// <see cref="Tile6x2{T, TVector, TLanes}"/> four rows high, for the last rows of a product: 4 rows × 2 vectors is 8
    /// accumulators, enough to cover the FMA latency, with 6 loads per 8 FMAs, within two loads a cycle. A product of
    /// 32 rows takes four tiles of six and two of four instead of six of six, the last a third full. Measured (float,
    /// AVX2, 64-32-10's layers over 32 rows, best of three runs): the first layer's Accumulate 1.75 → 1.58 µs and
    /// Forward 1.90 → 1.76, the second's Forward 0.73 → 0.67 and Accumulate 0.37 → 0.30; its Propagate (depth 10) no
    /// faster, 0.38 against 0.51. Rows past <paramref name="rows"/> read row 0 again and are not stored.
    /// </summary>
    /// <remarks>Fully optimised from the first call, as <see cref="Tile6x2{T, TVector, TLanes}"/> is, for the same reason.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile4x2<T, TVector, TLanes>(
        ref T a, nuint aRowStep, nuint aDepthStep, int rows, ref T b, nuint ldb, ref T c, nuint ldc, ref T bias, int depth, int panelEnd, int valid, Finish finish)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TLanes : ILanes<TVector, T>
    {
        nuint width = (nuint)TLanes.Count;
        ref T a0 = ref a;
        ref T a1 = ref rows > 1 ? ref Unsafe.Add(ref a, aRowStep) : ref a;
        ref T a2 = ref rows > 2 ? ref Unsafe.Add(ref a, 2 * aRowStep) : ref a;
        ref T a3 = ref rows > 3 ? ref Unsafe.Add(ref a, 3 * aRowStep) : ref a;
        for (int j = 0; j < panelEnd; j += 2 * TLanes.Count)
        {
            ref T cj = ref Unsafe.Add(ref c, j);
            ref T biasj = ref Unsafe.Add(ref bias, j);
            int columns = valid - j;
            TVector c00 = TLanes.Zero, c01 = TLanes.Zero, c10 = TLanes.Zero, c11 = TLanes.Zero;
            TVector c20 = TLanes.Zero, c21 = TLanes.Zero, c30 = TLanes.Zero, c31 = TLanes.Zero;
            ref T bp = ref Unsafe.Add(ref b, j);
            nuint ap = 0;
            for (int p = 0; p < depth; p++)
            {
                TVector b0 = TLanes.Load(ref bp, 0);
                TVector b1 = TLanes.Load(ref bp, width);
                TVector x = TLanes.Broadcast(Unsafe.Add(ref a0, ap));
                c00 = TLanes.MultiplyAdd(x, b0, c00);
                c01 = TLanes.MultiplyAdd(x, b1, c01);
                x = TLanes.Broadcast(Unsafe.Add(ref a1, ap));
                c10 = TLanes.MultiplyAdd(x, b0, c10);
                c11 = TLanes.MultiplyAdd(x, b1, c11);
                x = TLanes.Broadcast(Unsafe.Add(ref a2, ap));
                c20 = TLanes.MultiplyAdd(x, b0, c20);
                c21 = TLanes.MultiplyAdd(x, b1, c21);
                x = TLanes.Broadcast(Unsafe.Add(ref a3, ap));
                c30 = TLanes.MultiplyAdd(x, b0, c30);
                c31 = TLanes.MultiplyAdd(x, b1, c31);
                bp = ref Unsafe.Add(ref bp, ldb);
                ap += aDepthStep;
            }

            PutRow<T, TVector, TLanes>(c00, c01, ref cj, ref biasj, columns, finish);

            if (rows > 1)
            {
                PutRow<T, TVector, TLanes>(c10, c11, ref Unsafe.Add(ref cj, ldc), ref biasj, columns, finish);
            }

            if (rows > 2)
            {
                PutRow<T, TVector, TLanes>(c20, c21, ref Unsafe.Add(ref cj, 2 * ldc), ref biasj, columns, finish);
            }

            if (rows > 3)
            {
                PutRow<T, TVector, TLanes>(c30, c31, ref Unsafe.Add(ref cj, 3 * ldc), ref biasj, columns, finish);
            }
        }
    }

    /// <summary><see cref="Tile6x2{T, TVector, TLanes}"/> one vector wide: a panel's last vector of columns.</summary>
    /// <remarks>Fully optimised from the first call, as <see cref="Tile6x2{T, TVector, TLanes}"/> is, for the same reason.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile6x1<T, TVector, TLanes>(
        ref T a, nuint aRowStep, nuint aDepthStep, int rows, ref T b, nuint ldb, ref T c, nuint ldc, ref T bias, int depth, int columns, Finish finish)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TLanes : ILanes<TVector, T>
    {
        ref T a0 = ref a;
        ref T a1 = ref rows > 1 ? ref Unsafe.Add(ref a, aRowStep) : ref a;
        ref T a2 = ref rows > 2 ? ref Unsafe.Add(ref a, 2 * aRowStep) : ref a;
        ref T a3 = ref rows > 3 ? ref Unsafe.Add(ref a, 3 * aRowStep) : ref a;
        ref T a4 = ref rows > 4 ? ref Unsafe.Add(ref a, 4 * aRowStep) : ref a;
        ref T a5 = ref rows > 5 ? ref Unsafe.Add(ref a, 5 * aRowStep) : ref a;
        TVector c0 = TLanes.Zero, c1 = TLanes.Zero, c2 = TLanes.Zero, c3 = TLanes.Zero, c4 = TLanes.Zero, c5 = TLanes.Zero;
        ref T bp = ref b;
        if (rows == TileRows)
        {
            ref T p0 = ref a;
            ref T p3 = ref Unsafe.Add(ref a, 3 * aRowStep);
            nuint s1 = aRowStep, s2 = 2 * aRowStep;
            for (int p = 0; p < depth; p++)
            {
                TVector b0 = TLanes.Load(ref bp, 0);
                c0 = TLanes.MultiplyAdd(TLanes.Broadcast(p0), b0, c0);
                c1 = TLanes.MultiplyAdd(TLanes.Broadcast(Unsafe.Add(ref p0, s1)), b0, c1);
                c2 = TLanes.MultiplyAdd(TLanes.Broadcast(Unsafe.Add(ref p0, s2)), b0, c2);
                c3 = TLanes.MultiplyAdd(TLanes.Broadcast(p3), b0, c3);
                c4 = TLanes.MultiplyAdd(TLanes.Broadcast(Unsafe.Add(ref p3, s1)), b0, c4);
                c5 = TLanes.MultiplyAdd(TLanes.Broadcast(Unsafe.Add(ref p3, s2)), b0, c5);
                bp = ref Unsafe.Add(ref bp, ldb);
                p0 = ref Unsafe.Add(ref p0, aDepthStep);
                p3 = ref Unsafe.Add(ref p3, aDepthStep);
            }
        }
        else
        {
        nuint ap = 0;
        for (int p = 0; p < depth; p++)
        {
            TVector b0 = TLanes.Load(ref bp, 0);
            c0 = TLanes.MultiplyAdd(TLanes.Broadcast(Unsafe.Add(ref a0, ap)), b0, c0);
            c1 = TLanes.MultiplyAdd(TLanes.Broadcast(Unsafe.Add(ref a1, ap)), b0, c1);
            c2 = TLanes.MultiplyAdd(TLanes.Broadcast(Unsafe.Add(ref a2, ap)), b0, c2);
            c3 = TLanes.MultiplyAdd(TLanes.Broadcast(Unsafe.Add(ref a3, ap)), b0, c3);
            c4 = TLanes.MultiplyAdd(TLanes.Broadcast(Unsafe.Add(ref a4, ap)), b0, c4);
            c5 = TLanes.MultiplyAdd(TLanes.Broadcast(Unsafe.Add(ref a5, ap)), b0, c5);
            bp = ref Unsafe.Add(ref bp, ldb);
            ap += aDepthStep;
        }
        }

        if (columns < TLanes.Count)
        {
            PutPartial<T, TVector, TLanes>(c0, TLanes.Zero, ref c, ref bias, columns, finish);
            if (rows > 1)
            {
                PutPartial<T, TVector, TLanes>(c1, TLanes.Zero, ref Unsafe.Add(ref c, ldc), ref bias, columns, finish);
            }

            if (rows > 2)
            {
                PutPartial<T, TVector, TLanes>(c2, TLanes.Zero, ref Unsafe.Add(ref c, 2 * ldc), ref bias, columns, finish);
            }

            if (rows > 3)
            {
                PutPartial<T, TVector, TLanes>(c3, TLanes.Zero, ref Unsafe.Add(ref c, 3 * ldc), ref bias, columns, finish);
            }

            if (rows > 4)
            {
                PutPartial<T, TVector, TLanes>(c4, TLanes.Zero, ref Unsafe.Add(ref c, 4 * ldc), ref bias, columns, finish);
            }

            if (rows > 5)
            {
                PutPartial<T, TVector, TLanes>(c5, TLanes.Zero, ref Unsafe.Add(ref c, 5 * ldc), ref bias, columns, finish);
            }

            return;
        }

        Put<T, TVector, TLanes>(c0, ref c, 0, ref bias, finish);
        if (rows > 1)
        {
            Put<T, TVector, TLanes>(c1, ref Unsafe.Add(ref c, ldc), 0, ref bias, finish);
        }

        if (rows > 2)
        {
            Put<T, TVector, TLanes>(c2, ref Unsafe.Add(ref c, 2 * ldc), 0, ref bias, finish);
        }

        if (rows > 3)
        {
            Put<T, TVector, TLanes>(c3, ref Unsafe.Add(ref c, 3 * ldc), 0, ref bias, finish);
        }

        if (rows > 4)
        {
            Put<T, TVector, TLanes>(c4, ref Unsafe.Add(ref c, 4 * ldc), 0, ref bias, finish);
        }

        if (rows > 5)
        {
            Put<T, TVector, TLanes>(c5, ref Unsafe.Add(ref c, 5 * ldc), 0, ref bias, finish);
        }
    }

    /// <summary>Stores one vector of a tile's sums at <paramref name="offset"/> of a row of C, finished as asked.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put<T, TVector, TLanes>(TVector sum, ref T row, nuint offset, ref T bias, Finish finish)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TLanes : ILanes<TVector, T>
    {
        if (finish == Finish.Add)
        {
            sum = TLanes.Add(TLanes.Load(ref row, offset), sum);
        }
        else if (finish == Finish.Bias)
        {
            sum = TLanes.Add(TLanes.Load(ref bias, offset), sum);
        }

        TLanes.Store(sum, ref row, offset);
    }

    /// <summary>
    /// Stores a tile row's two vectors of sums into a row of C, finished as asked: whole when the panel's columns
    /// are all valid, else the first <paramref name="columns"/> (the last panel of a padded B).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PutRow<T, TVector, TLanes>(TVector sum0, TVector sum1, ref T row, ref T bias, int columns, Finish finish)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TLanes : ILanes<TVector, T>
    {
        if (columns < 2 * TLanes.Count)
        {
            PutPartial<T, TVector, TLanes>(sum0, sum1, ref row, ref bias, columns, finish);
            return;
        }

        Put<T, TVector, TLanes>(sum0, ref row, 0, ref bias, finish);
        Put<T, TVector, TLanes>(sum1, ref row, (nuint)TLanes.Count, ref bias, finish);
    }

    /// <summary>
    /// Stores the first <paramref name="columns"/> (fewer than two vectors) of a row's two vectors of sums, finished as
    /// asked: a whole first vector as it is, the rest element by element from a copy on the stack. The bias (and B)
    /// are padded, so the sums past the columns are never read.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PutPartial<T, TVector, TLanes>(TVector sum0, TVector sum1, ref T row, ref T bias, int columns, Finish finish)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TLanes : ILanes<TVector, T>
    {
        TVector rest = sum0;
        int offset = 0;
        if (columns >= TLanes.Count)
        {
            Put<T, TVector, TLanes>(sum0, ref row, 0, ref bias, finish);
            rest = sum1;
            offset = TLanes.Count;
        }

        ref T values = ref Unsafe.As<TVector, T>(ref rest);
        for (int q = offset; q < columns; q++)
        {
            T value = Unsafe.Add(ref values, q - offset);
            ref T target = ref Unsafe.Add(ref row, q);
            target = finish == Finish.Add ? target + value : finish == Finish.Bias ? Unsafe.Add(ref bias, q) + value : value;
        }
    }

    /// <summary>
    /// Z = X·Wᵀ + b by dot products, for long rows: tiles of three rows × four neurons, twelve vector accumulators
    /// along the inputs (each load of x serves four neurons, each load of W three rows; 12 + 3 + 1 of AVX2's 16
    /// registers), reduced once per tile with the lanes' pairwise adds; the last one or two rows of a block take a
    /// two-row tile. No packing. Measured at 784 × 128 over 256 rows: 3 × 4 about 88 GFLOP/s, 2 × 4 about 72. Rows go in blocks of <see cref="DotBlockRows"/> so that the block's inputs stay in
    /// L2 while each group of four rows of W (held in L1) passes over them.
    /// </summary>
    private static void ForwardDot<T, TVector, TLanes>(ref T w, ref T b, ref T x, ref T z, int rows, int neurons, int inputs)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TLanes : ILanes<TVector, T>
    {
        nuint k = (nuint)inputs;
        nuint n = (nuint)neurons;
        nuint vectorEnd = k - (k % (nuint)TLanes.Count);
        Span<T> spare = stackalloc T[8]; // a tile's last neurons past the layer: their bias (0) and sums, not stored
        spare.Clear();
        ref T spareBias = ref spare[0];
        ref T spareSums = ref spare[4];
        for (int r0 = 0; r0 < rows; r0 += DotBlockRows)
        {
            int blockEnd = Math.Min(rows, r0 + DotBlockRows);
            for (int j = 0; j < neurons; j += 4)
            {
                int tileNeurons = Math.Min(4, neurons - j);
                ref T w0 = ref Unsafe.Add(ref w, (nuint)j * k);
                ref T w1 = ref tileNeurons > 1 ? ref Unsafe.Add(ref w0, k) : ref w0;
                ref T w2 = ref tileNeurons > 2 ? ref Unsafe.Add(ref w0, 2 * k) : ref w0;
                ref T w3 = ref tileNeurons > 3 ? ref Unsafe.Add(ref w0, 3 * k) : ref w0;
                int r = r0;
                for (; r + 2 < blockEnd; r += 3)
                {
                    ref T x0 = ref Unsafe.Add(ref x, (nuint)r * k);
                    ref T x1 = ref Unsafe.Add(ref x0, k);
                    ref T x2 = ref Unsafe.Add(ref x1, k);
                    TVector s00 = TLanes.Zero, s01 = TLanes.Zero, s02 = TLanes.Zero, s03 = TLanes.Zero;
                    TVector s10 = TLanes.Zero, s11 = TLanes.Zero, s12 = TLanes.Zero, s13 = TLanes.Zero;
                    TVector s20 = TLanes.Zero, s21 = TLanes.Zero, s22 = TLanes.Zero, s23 = TLanes.Zero;
                    for (nuint i = 0; i < vectorEnd; i += (nuint)TLanes.Count)
                    {
                        TVector xa = TLanes.Load(ref x0, i);
                        TVector xb = TLanes.Load(ref x1, i);
                        TVector xc = TLanes.Load(ref x2, i);
                        TVector wv = TLanes.Load(ref w0, i);
                        s00 = TLanes.MultiplyAdd(wv, xa, s00);
                        s10 = TLanes.MultiplyAdd(wv, xb, s10);
                        s20 = TLanes.MultiplyAdd(wv, xc, s20);
                        wv = TLanes.Load(ref w1, i);
                        s01 = TLanes.MultiplyAdd(wv, xa, s01);
                        s11 = TLanes.MultiplyAdd(wv, xb, s11);
                        s21 = TLanes.MultiplyAdd(wv, xc, s21);
                        wv = TLanes.Load(ref w2, i);
                        s02 = TLanes.MultiplyAdd(wv, xa, s02);
                        s12 = TLanes.MultiplyAdd(wv, xb, s12);
                        s22 = TLanes.MultiplyAdd(wv, xc, s22);
                        wv = TLanes.Load(ref w3, i);
                        s03 = TLanes.MultiplyAdd(wv, xa, s03);
                        s13 = TLanes.MultiplyAdd(wv, xb, s13);
                        s23 = TLanes.MultiplyAdd(wv, xc, s23);
                    }

                    ref T z0 = ref Unsafe.Add(ref z, ((nuint)r * n) + (nuint)j);
                    FinishDots<T, TVector, TLanes>(s00, s01, s02, s03, ref x0, ref w0, ref w1, ref w2, ref w3, vectorEnd, k, ref Unsafe.Add(ref b, j), ref z0, tileNeurons, ref spareBias, ref spareSums);
                    FinishDots<T, TVector, TLanes>(s10, s11, s12, s13, ref x1, ref w0, ref w1, ref w2, ref w3, vectorEnd, k, ref Unsafe.Add(ref b, j), ref Unsafe.Add(ref z0, n), tileNeurons, ref spareBias, ref spareSums);
                    FinishDots<T, TVector, TLanes>(s20, s21, s22, s23, ref x2, ref w0, ref w1, ref w2, ref w3, vectorEnd, k, ref Unsafe.Add(ref b, j), ref Unsafe.Add(ref z0, 2 * n), tileNeurons, ref spareBias, ref spareSums);
                }

                for (; r < blockEnd; r += 2)
                {
                    bool pair = r + 1 < blockEnd;
                    ref T x0 = ref Unsafe.Add(ref x, (nuint)r * k);
                    ref T x1 = ref pair ? ref Unsafe.Add(ref x0, k) : ref x0;
                    TVector s00 = TLanes.Zero, s01 = TLanes.Zero, s02 = TLanes.Zero, s03 = TLanes.Zero;
                    TVector s10 = TLanes.Zero, s11 = TLanes.Zero, s12 = TLanes.Zero, s13 = TLanes.Zero;
                    for (nuint i = 0; i < vectorEnd; i += (nuint)TLanes.Count)
                    {
                        TVector xa = TLanes.Load(ref x0, i);
                        TVector xb = TLanes.Load(ref x1, i);
                        TVector wv = TLanes.Load(ref w0, i);
                        s00 = TLanes.MultiplyAdd(wv, xa, s00);
                        s10 = TLanes.MultiplyAdd(wv, xb, s10);
                        wv = TLanes.Load(ref w1, i);
                        s01 = TLanes.MultiplyAdd(wv, xa, s01);
                        s11 = TLanes.MultiplyAdd(wv, xb, s11);
                        wv = TLanes.Load(ref w2, i);
                        s02 = TLanes.MultiplyAdd(wv, xa, s02);
                        s12 = TLanes.MultiplyAdd(wv, xb, s12);
                        wv = TLanes.Load(ref w3, i);
                        s03 = TLanes.MultiplyAdd(wv, xa, s03);
                        s13 = TLanes.MultiplyAdd(wv, xb, s13);
                    }

                    ref T z0 = ref Unsafe.Add(ref z, ((nuint)r * n) + (nuint)j);
                    FinishDots<T, TVector, TLanes>(s00, s01, s02, s03, ref x0, ref w0, ref w1, ref w2, ref w3, vectorEnd, k, ref Unsafe.Add(ref b, j), ref z0, tileNeurons, ref spareBias, ref spareSums);
                    if (pair)
                    {
                        FinishDots<T, TVector, TLanes>(s10, s11, s12, s13, ref x1, ref w0, ref w1, ref w2, ref w3, vectorEnd, k, ref Unsafe.Add(ref b, j), ref Unsafe.Add(ref z0, n), tileNeurons, ref spareBias, ref spareSums);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Rows per block of <see cref="ForwardDot{T, TVector, TLanes}"/>, a multiple of the three-row tile: 48 rows of 784
    /// floats are 150 KB, within L2, while each group of four rows of W stays in L1. Measured at 784 × 128 over 256 rows
    /// (a loaded host): 24 to 192 rows within noise of each other, all rows at once about 25% slower.
    /// </summary>
    private const int DotBlockRows = 48;

    /// <summary>One row's four dot products: z[q] = b[q] + Σ(sum q) + the inputs past the last whole vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FinishDots<T, TVector, TLanes>(
        TVector sum0, TVector sum1, TVector sum2, TVector sum3, ref T x, ref T w0, ref T w1, ref T w2, ref T w3, nuint vectorEnd, nuint k,
        ref T bias, ref T z, int neurons, ref T spareBias, ref T spareSums)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TLanes : ILanes<TVector, T>
    {
        if (neurons == 4)
        {
            TLanes.StoreSums(sum0, sum1, sum2, sum3, ref bias, ref z);
            for (nuint i = vectorEnd; i < k; i++)
            {
                T xi = Unsafe.Add(ref x, i);
                z += Unsafe.Add(ref w0, i) * xi;
                Unsafe.Add(ref z, 1) += Unsafe.Add(ref w1, i) * xi;
                Unsafe.Add(ref z, 2) += Unsafe.Add(ref w2, i) * xi;
                Unsafe.Add(ref z, 3) += Unsafe.Add(ref w3, i) * xi;
            }
        }
        else
        {
            // The last neurons of the layer: w1…w3 past it repeat w0; their sums go to the spare slots. Each z[q] takes
            // the same additions in the same order as in a whole tile.
            TLanes.StoreSums(sum0, sum1, sum2, sum3, ref spareBias, ref spareSums);
            for (int q = 0; q < neurons; q++)
            {
                ref T wq = ref q == 0 ? ref w0 : ref q == 1 ? ref w1 : ref w2;
                T zq = Unsafe.Add(ref bias, q) + Unsafe.Add(ref spareSums, q);
                for (nuint i = vectorEnd; i < k; i++)
                {
                    zq += Unsafe.Add(ref wq, i) * Unsafe.Add(ref x, i);
                }

                Unsafe.Add(ref z, q) = zq;
            }
        }
    }
}
