namespace GreenTrain.Scheduler.Forecasting.Models;

/// <summary>
/// Gradient-boosted regression trees for squared error (Friedman, "Greedy function approximation: a gradient boosting
/// machine", 2001): each tree fits the residual of the trees before it, shrunk by the learning rate. Splits are found on
/// histograms of each feature's quantile bins (at most <see cref="MaxBins"/>), so a fit costs rows x features per tree
/// level, not a sort per node. Small and deterministic: no sampling, the same data gives the same trees.
/// </summary>
public sealed class GradientBoostedTrees
{
    public const int MaxBins = 32;
    private readonly int _features;
    private readonly double _init;
    // Trees flattened: for node k, _feature[k] < 0 marks a leaf worth _value[k]; else x[_feature[k]] <= _threshold[k]
    // goes to _left[k], the rest to _left[k] + 1 (children stored side by side).
    private readonly List<int> _feature = [];
    private readonly List<double> _threshold = [];
    private readonly List<int> _left = [];
    private readonly List<double> _value = [];
    private readonly List<int> _roots = [];

    private GradientBoostedTrees(int features, double init)
    {
        _features = features;
        _init = init;
    }

    public int Trees => _roots.Count;

    /// <summary>Fits <paramref name="trees"/> trees of depth <paramref name="depth"/> to rows x (n x features, row-major) and targets y.</summary>
    public static GradientBoostedTrees Fit(double[] x, double[] y, int features, int trees = 100, int depth = 3,
        double learningRate = 0.1, int minLeaf = 20)
    {
        var n = y.Length;
        if (n == 0 || x.Length != n * features || features <= 0)
        {
            throw new ArgumentException($"Expected {n} rows of {features} features, got {x.Length} values.", nameof(x));
        }
        if (trees < 0 || depth < 1 || learningRate <= 0 || minLeaf < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(trees), "trees >= 0, depth >= 1, learning rate > 0 and min leaf >= 1 are required.");
        }
        var model = new GradientBoostedTrees(features, y.Average());
        var (bins, edges) = Bin(x, n, features);
        var residual = y.Select(v => v - model._init).ToArray();
        var rows = Enumerable.Range(0, n).ToArray();
        var sum = new double[MaxBins];
        var count = new int[MaxBins];
        for (var t = 0; t < trees; t++)
        {
            var root = model.NewNode();
            model._roots.Add(root);
            model.Grow(root, rows, 0, n, depth, bins, edges, residual, learningRate, minLeaf, sum, count);
        }
        return model;
    }

    public double Predict(ReadOnlySpan<double> x)
    {
        var z = _init;
        foreach (var root in _roots)
        {
            var k = root;
            while (_feature[k] >= 0)
            {
                k = x[_feature[k]] <= _threshold[k] ? _left[k] : _left[k] + 1;
            }
            z += _value[k];
        }
        return z;
    }

    /// <summary>
    /// Grows the node in <paramref name="node"/> over rows[from..to); a leaf moves the residuals of its rows by its value.
    /// Rows are partitioned in place so each child owns a contiguous range.
    /// </summary>
    private void Grow(int node, int[] rows, int from, int to, int depthLeft, byte[] bins, double[][] edges, double[] residual,
        double learningRate, int minLeaf, double[] sum, int[] count)
    {
        var n = to - from;
        double total = 0;
        for (var i = from; i < to; i++)
        {
            total += residual[rows[i]];
        }
        int bestFeature = -1, bestBin = -1;
        var bestGain = 1e-12;
        if (depthLeft > 0 && n >= 2 * minLeaf)
        {
            for (var f = 0; f < _features; f++)
            {
                Array.Clear(sum);
                Array.Clear(count);
                for (var i = from; i < to; i++)
                {
                    var r = rows[i];
                    var b = bins[r * _features + f];
                    sum[b] += residual[r];
                    count[b]++;
                }
                double leftSum = 0;
                var leftCount = 0;
                for (var b = 0; b < edges[f].Length; b++)
                {
                    leftSum += sum[b];
                    leftCount += count[b];
                    var rightCount = n - leftCount;
                    if (leftCount < minLeaf || rightCount < minLeaf)
                    {
                        continue;
                    }
                    var rightSum = total - leftSum;
                    // The fall in squared error from splitting here (the node's own term is common to every split).
                    var gain = leftSum * leftSum / leftCount + rightSum * rightSum / rightCount - total * total / n;
                    if (gain > bestGain)
                    {
                        (bestGain, bestFeature, bestBin) = (gain, f, b);
                    }
                }
            }
        }
        if (bestFeature < 0)
        {
            var value = learningRate * total / n;
            _value[node] = value;
            for (var i = from; i < to; i++)
            {
                residual[rows[i]] -= value;
            }
            return;
        }
        _feature[node] = bestFeature;
        _threshold[node] = edges[bestFeature][bestBin];
        var split = from;
        for (var i = from; i < to; i++)
        {
            if (bins[rows[i] * _features + bestFeature] <= bestBin)
            {
                (rows[i], rows[split]) = (rows[split], rows[i]);
                split++;
            }
        }
        // The children sit side by side, so a node keeps one index (its left child's).
        var left = NewNode();
        NewNode();
        _left[node] = left;
        Grow(left, rows, from, split, depthLeft - 1, bins, edges, residual, learningRate, minLeaf, sum, count);
        Grow(left + 1, rows, split, to, depthLeft - 1, bins, edges, residual, learningRate, minLeaf, sum, count);
    }

    /// <summary>Appends a leaf of value 0 and returns its index.</summary>
    private int NewNode()
    {
        _feature.Add(-1);
        _threshold.Add(0);
        _left.Add(-1);
        _value.Add(0);
        return _feature.Count - 1;
    }

    /// <summary>Quantile bin edges per feature (bin b holds values at or below edges[f][b]) and each row's bins.</summary>
    private static (byte[] Bins, double[][] Edges) Bin(double[] x, int n, int features)
    {
        var bins = new byte[n * features];
        var edges = new double[features][];
        var column = new double[n];
        for (var f = 0; f < features; f++)
        {
            for (var i = 0; i < n; i++)
            {
                column[i] = x[i * features + f];
            }
            var sorted = (double[])column.Clone();
            Array.Sort(sorted);
            var cuts = new List<double>();
            for (var b = 1; b < MaxBins; b++)
            {
                var cut = sorted[(int)((long)b * (n - 1) / MaxBins)];
                if (cuts.Count == 0 || cut > cuts[^1])
                {
                    cuts.Add(cut);
                }
            }
            if (cuts.Count == 0 || cuts[^1] < sorted[^1])
            {
                cuts.Add(sorted[^1]);
            }
            edges[f] = [.. cuts];
            for (var i = 0; i < n; i++)
            {
                var b = Array.BinarySearch(edges[f], column[i]);
                bins[i * features + f] = (byte)(b >= 0 ? b : Math.Min(~b, edges[f].Length - 1));
            }
        }
        return (bins, edges);
    }
}
