namespace LipService.Api.Sweeps;

/// <summary>Non-dominated points when every objective is to be maximised.</summary>
public static class ParetoFront
{
    /// <returns>Indexes of the points that no other point matches or beats on every objective while beating on one.</returns>
    public static IReadOnlyList<int> Of(IReadOnlyList<double[]> points)
    {
        var front = new List<int>();
        for (int i = 0; i < points.Count; i++)
        {
            bool dominated = false;
            for (int j = 0; j < points.Count && !dominated; j++)
                dominated = j != i && Dominates(points[j], points[i]);
            if (!dominated) front.Add(i);
        }
        return front;
    }

    private static bool Dominates(double[] a, double[] b)
    {
        bool better = false;
        for (int k = 0; k < a.Length; k++)
        {
            if (a[k] < b[k]) return false;
            if (a[k] > b[k]) better = true;
        }
        return better;
    }
}
