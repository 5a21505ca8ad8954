using GreenTrain.Benchmarks.Support;
using System.Diagnostics;
using System.Text.Json.Nodes;
using GreenTrain.Benchmarks.Methods;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Data;
using GreenTrain.Trainer.Energy;
using GreenTrain.Trainer.Engine;
using Microsoft.Extensions.Logging.Abstractions;
using static TorchSharp.torch;

namespace GreenTrain.Benchmarks.Moe;

/// <summary>What one model's run measured: validation loss at each evaluation with the spend up to it, and the run's totals.</summary>
public sealed record MoeResult(
    string Key,
    string Name,
    int Width,
    long Steps,
    long Tokens,
    long TotalParameters,
    long ActiveParameters,
    double FlopsPerToken,
    double FinalValidationLoss,
    double TestLoss,
    IReadOnlyList<EvaluationPoint> Evaluations,
    double Joules,
    double GpuJoules,
    double CpuSeconds,
    double Seconds,
    double TokensPerSecond,
    double JoulesPerToken,
    string EnergyMethod,
    JsonNode? MoeReport);

/// <summary>Trains one model with the composition every run uses (TrainingSession) and measures it.</summary>
public static class MoeRun
{
    public static MoeResult Train(MoeVariant variant, ITrainingData data, Device device, EnergyMeterFactory energy)
    {
        var spec = variant.Spec;
        var options = new RunOptions { Device = device, CpuThreads = RunOptions.DefaultCpuThreads, LogEverySteps = 50 };
        using var state = TrainingSession.Prepare(spec, device, options.CpuThreads, new BorrowedData(data));
        using var meter = new EnergyAtEvaluations(energy, spec.Name);
        var clock = Stopwatch.StartNew();
        TrainingSession.Loop(state, options, [meter], NullLogger.Instance).Run(state);
        var seconds = clock.Elapsed.TotalSeconds;
        var test = TrainingSession.ScoreTest(state, options);
        var performance = PerformanceReport.From(state, null);
        var evaluations = state.Evaluations.Select(e => new EvaluationPoint(e.Step, e.Loss, meter.JoulesTo(e.Step), meter.CpuSecondsTo(e.Step))).ToList();
        var report = TrainingSession.MethodReports(state).GetValueOrDefault("moe")?.DeepClone();
        var total = state.Network.Module.parameters().Sum(p => p.numel());
        var active = report?["parameters"]?["active"]?.GetValue<long>() ?? total;
        var tokens = state.TargetsSeen;
        return new MoeResult(variant.Key, variant.Name, spec.Model.Width, state.Step, tokens, total, active,
            state.Network.ForwardFlopsPerExample / spec.Model.ContextLength, state.Evaluations[^1].Loss, test.Loss, evaluations,
            meter.TotalJoules, meter.TotalGpuJoules, meter.TotalCpuSeconds, seconds, performance.TokensPerSecond ?? 0, meter.TotalJoules / Math.Max(tokens, 1), meter.Methods, report);
    }
}
