using GreenTrain.Benchmarks.Support;
using System.Diagnostics;
using System.Text.Json.Nodes;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Contracts.Methods;
using GreenTrain.Trainer.Data;
using GreenTrain.Trainer.Energy;
using GreenTrain.Trainer.Engine;
using GreenTrain.Trainer.Methods.Export;
using GreenTrain.Trainer.Methods.Quantization;
using Microsoft.Extensions.Logging.Abstractions;
using static TorchSharp.torch;

namespace GreenTrain.Benchmarks.Methods;

/// <summary>One evaluation of a run: its metric, and the energy and CPU seconds from the start of training to its end.</summary>
public sealed record EvaluationPoint(long Step, double Metric, double Joules, double CpuSeconds);

/// <summary>What one variant's run measured. Metric: test accuracy (classification) or test loss (text). Grid: the bit widths of a quantised row (QAT or post-training), null for fp32 rows.</summary>
public sealed record MethodResult(
    string Workload,
    string Variant,
    long Steps,
    double TestLoss,
    double? TestAccuracy,
    IReadOnlyList<EvaluationPoint> Evaluations,
    double Joules,
    double CpuSeconds,
    double Seconds,
    long ModelBytes,
    string ModelFormat,
    double? Sparsity,
    string EnergyMethod,
    JsonNode? MethodReport,
    QuantizationGrid? Grid = null);

/// <summary>Trains one variant with the same composition as every run (TrainingSession) and measures it.</summary>
public static class MethodRun
{
    /// <summary>The variant name of the dense run's post-training row at these widths ("dense, post-training int8", "... W4A8"), the baseline a QAT export of the same widths is compared with.</summary>
    public static string PostTrainingName(QuantizationGrid grid) => $"dense, post-training {grid}";

    /// <param name="postTrainingGrids">For the dense variant: the widths to quantise it at after training, one row each.</param>
    public static List<MethodResult> Train(string workload, ExperimentSpec spec, MethodVariant variant, ITrainingData data, Device device, EnergyMeterFactory energy,
        IReadOnlyList<QuantizationGrid> postTrainingGrids)
    {
        var options = new RunOptions { Device = device, CpuThreads = RunOptions.DefaultCpuThreads, LogEverySteps = 50 };
        using var state = TrainingSession.Prepare(spec, device, options.CpuThreads, new BorrowedData(data));
        using var meter = new EnergyAtEvaluations(energy, spec.Name);
        var clock = Stopwatch.StartNew();
        TrainingSession.Loop(state, options, [meter], NullLogger.Instance).Run(state);
        var seconds = clock.Elapsed.TotalSeconds;
        var test = TrainingSession.ScoreTest(state, options);
        var accuracyTask = state.MonitoredMetric == MetricKind.Accuracy;
        var evaluations = state.Evaluations.Select(e => new EvaluationPoint(e.Step, accuracyTask ? e.Accuracy ?? 0 : e.Loss, meter.JoulesTo(e.Step), meter.CpuSecondsTo(e.Step))).ToList();
        // The variant's own method's report, by its kind: in bf16/fp16 mixed precision reports too, and comes first.
        var report = variant.Method is { } method && TrainingSession.MethodReports(state).TryGetValue(MethodSpecRegistry.KindOf(method), out var own) ? own : null;
        var sparsity = report?["sparsity"]?.GetValue<double>();

        var results = new List<MethodResult>();
        MethodResult Result(string name, double loss, double? accuracy, long bytes, string format, QuantizationGrid? grid = null) => new(workload, name, state.Step, loss, accuracy,
            evaluations, meter.TotalJoules, meter.TotalCpuSeconds, seconds, bytes, format, sparsity, meter.Methods, report?.DeepClone(), grid);

        if (state.Method<QuantizationAwareMethod>() is { ExportedModel: { } exported } qat)
        {
            results.Add(Result($"{variant.Name} (fake-quant)", test.Loss, test.Accuracy, ModelExport.Dense(state).Length, "fp32 latent weights", qat.Grid));
            var int8 = Int8Evaluation.Evaluate(state, exported, state.Data.Test, TrainingSession.EvaluationBatchSize(state, options));
            results.Add(Result($"{variant.Name} export", int8.Loss, int8.Accuracy, exported.Length, Format(qat.Grid), qat.Grid));
            return results;
        }

        var file = sparsity is null ? ModelExport.Dense(state) : ModelExport.Sparse(state);
        results.Add(Result(variant.Name, test.Loss, test.Accuracy, file.Length, sparsity is null ? "fp32" : "bitmask + fp32 non-zeros"));
        if (variant.Method is null)
        {
            // The comparison QAT must win: the same dense weights quantised after training, at each width a QAT variant trains for.
            foreach (var grid in postTrainingGrids)
            {
                var ptq = PostTrainingQuantization.Export(state, grid);
                var score = Int8Evaluation.Evaluate(state, ptq, state.Data.Test, TrainingSession.EvaluationBatchSize(state, options));
                results.Add(Result(PostTrainingName(grid), score.Loss, score.Accuracy, ptq.Length, Format(grid), grid));
            }
        }
        return results;
    }

    private static string Format(QuantizationGrid grid) => grid.WeightBits == 8 ? "int8 weights + fp32 scales" : $"{grid.WeightBits}-bit weights in int8 + fp32 scales";
}
