using System.Numerics;

namespace LipService.Models.Normalization;

/// <summary>
/// Björck's iteration seen through the eigenvalues λ of the normalized Gram matrix: the iterates are
/// A_t = A_0·p_t(A_0ᵀA_0) with p_0 = 1 and p_{t+1}(λ) = (1+β)p_t(λ) − β·λ·p_t(λ)³, so every singular
/// value s = √λ of A_0 moves on its own, s → s·p_t(s²), and A_t never has to be formed to know it.
/// </summary>
/// <remarks>
/// Host arithmetic in float64 on the k = min(in, out) eigenvalues of one kernel — numbers, not tensor
/// elements: the step count and the polynomial's values cost well under a microsecond, the k×k
/// divided differences a few, against a few native calls per Björck step (and a host read per
/// stopping test) when the matrices are iterated. Written as loops over spans and
/// <see cref="Vector{T}"/> rather than with TensorPrimitives, whose generic code took ~30 ms to JIT
/// on the first training step of a process.
/// </remarks>
internal static class BjorckPolynomial
{
    /// <summary>
    /// The number of steps deel-lip's loop runs: the first t ≥ 1 with ‖A_t − A_{t−1}‖_F &lt; EpsBjorck,
    /// else MaxIterBjorck. ‖A_t − A_{t−1}‖_F² = Σ_i (s_i^(t) − s_i^(t−1))², exact from the eigenvalues.
    /// </summary>
    public static int Steps(ReadOnlySpan<double> lambda, NormalizationOptions options)
    {
        if (options.MaxIterBjorck == 0) return 0;
        if (options.EpsBjorck <= 0) return options.MaxIterBjorck;
        double beta = options.BetaBjorck;
        var s = new double[lambda.Length];
        for (int i = 0; i < s.Length; i++) s[i] = Math.Sqrt(lambda[i]);
        for (int t = 1; t <= options.MaxIterBjorck; t++)
        {
            double squares = 0;
            for (int i = 0; i < s.Length; i++)
            {
                // s_{t} − s_{t−1} = β·(s − s³)
                double change = beta * (s[i] - s[i] * s[i] * s[i]);
                squares += change * change;
                s[i] += change;
            }
            if (Math.Sqrt(squares) < options.EpsBjorck) return t;
        }
        return options.MaxIterBjorck;
    }

    /// <summary>p_n(λ_i) for every eigenvalue.</summary>
    public static double[] Values(ReadOnlySpan<double> lambda, double beta, int steps)
    {
        var p = new double[lambda.Length];
        Array.Fill(p, 1.0);
        for (int t = 0; t < steps; t++) Step(p, lambda, beta);
        return p;
    }

    /// <summary>
    /// The divided differences D_ij = (p_n(λ_i) − p_n(λ_j)) / (λ_i − λ_j), with D_ii = p_n′(λ_i), as a
    /// row-major k×k array: the kernel of the derivative of a matrix function (Daleckii–Krein).
    /// </summary>
    /// <remarks>
    /// Run by the recursion the iteration implies — D_{t+1} = (1+β)D_t − β·(λp³)[λ_i, λ_j] with
    /// (λp³)[a, b] = (p(a)³ + p(b)³)/2 + (a + b)/2 · D_t · (p(a)² + p(a)p(b) + p(b)²) — instead of
    /// dividing differences, which loses every digit when two eigenvalues are close (they all tend to
    /// the same value as the kernel nears orthogonality).
    /// </remarks>
    public static double[] DividedDifferences(ReadOnlySpan<double> lambda, double beta, int steps)
    {
        int k = lambda.Length;
        var d = new double[k * k];
        var p = new double[k];
        Array.Fill(p, 1.0);
        var squares = new double[k];
        var halfCubes = new double[k];
        var halfLambda = new double[k];
        for (int j = 0; j < k; j++) halfLambda[j] = lambda[j] / 2;
        for (int step = 0; step < steps; step++)
        {
            for (int j = 0; j < k; j++)
            {
                squares[j] = p[j] * p[j];
                halfCubes[j] = squares[j] * p[j] / 2;
            }
            for (int i = 0; i < k; i++)
                StepRow(d.AsSpan(i * k, k), p, squares, halfCubes, halfLambda, p[i], halfLambda[i], beta);
            Step(p, lambda, beta);
        }
        return d;
    }

    /// <summary>Row i of D_{t+1} = (1+β)D_t − β·[(p_i³ + p_j³)/2 + (λ_i + λ_j)/2 · D_t · (p_i² + p_i·p_j + p_j²)].</summary>
    private static void StepRow(
        Span<double> row, ReadOnlySpan<double> p, ReadOnlySpan<double> squares, ReadOnlySpan<double> halfCubes,
        ReadOnlySpan<double> halfLambda, double pi, double halfLambdaI, double beta)
    {
        double piSquared = pi * pi;
        double halfCubeI = piSquared * pi / 2;
        int j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vPi = new Vector<double>(pi);
            var vPiSquared = new Vector<double>(piSquared);
            var vHalfCubeI = new Vector<double>(halfCubeI);
            var vHalfLambdaI = new Vector<double>(halfLambdaI);
            var vGrow = new Vector<double>(1 + beta);
            var vBeta = new Vector<double>(beta);
            for (; j <= row.Length - Vector<double>.Count; j += Vector<double>.Count)
            {
                var dij = new Vector<double>(row[j..]);
                var sum = vPiSquared + vPi * new Vector<double>(p[j..]) + new Vector<double>(squares[j..]);
                var term = vHalfCubeI + new Vector<double>(halfCubes[j..]) + (vHalfLambdaI + new Vector<double>(halfLambda[j..])) * dij * sum;
                (vGrow * dij - vBeta * term).CopyTo(row[j..]);
            }
        }
        for (; j < row.Length; j++)
        {
            double sum = piSquared + pi * p[j] + squares[j];
            double term = halfCubeI + halfCubes[j] + (halfLambdaI + halfLambda[j]) * row[j] * sum;
            row[j] = (1 + beta) * row[j] - beta * term;
        }
    }

    /// <summary>p → (1+β)p − β·λ·p³ on every value, in place.</summary>
    private static void Step(Span<double> p, ReadOnlySpan<double> lambda, double beta)
    {
        for (int i = 0; i < p.Length; i++) p[i] = (1 + beta) * p[i] - beta * lambda[i] * p[i] * p[i] * p[i];
    }
}
