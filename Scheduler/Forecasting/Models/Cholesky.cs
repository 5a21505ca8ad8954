namespace GreenTrain.Scheduler.Forecasting.Models;

/// <summary>Solves (A + ridge I) w = b for a small symmetric positive semi-definite A given by its upper triangle (row-major n x n).</summary>
internal static class Cholesky
{
    public static double[]? SolveSymmetric(double[] upper, double[] b, int n, double ridge)
    {
        var l = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                var sum = upper[j * n + i] + (i == j ? ridge : 0);
                for (var k = 0; k < j; k++)
                {
                    sum -= l[i * n + k] * l[j * n + k];
                }
                if (i == j)
                {
                    if (sum <= 0)
                    {
                        return null; // not positive definite: keep the previous weights
                    }
                    l[i * n + i] = Math.Sqrt(sum);
                }
                else
                {
                    l[i * n + j] = sum / l[j * n + j];
                }
            }
        }
        var y = new double[n];
        for (var i = 0; i < n; i++)
        {
            var sum = b[i];
            for (var k = 0; k < i; k++)
            {
                sum -= l[i * n + k] * y[k];
            }
            y[i] = sum / l[i * n + i];
        }
        var x = new double[n];
        for (var i = n - 1; i >= 0; i--)
        {
            var sum = y[i];
            for (var k = i + 1; k < n; k++)
            {
                sum -= l[k * n + i] * x[k];
            }
            x[i] = sum / l[i * n + i];
        }
        return x;
    }
}
