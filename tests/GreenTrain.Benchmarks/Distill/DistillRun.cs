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

namespace GreenTrain.Benchmarks.Distill;

/// <summary>
/// What one run measured, on the whole validation split (what the setting is chosen by) and the whole test split (what
/// is reported). Metric: accuracy (CNN) or loss (GPT); the distillation report when it had a teacher.
/// </summary>
public sealed record DistillResult(string Workload, string Role, int Seed, DistillSetting? Setting, long Parameters, long Steps,
    double ValidationLoss, double? ValidationAccuracy, double TestLoss, double? TestAccuracy,
    double Joules, double CpuSeconds, double Seconds, string EnergyMethod, JsonNode? Distillation)
{
    public double Metric => Workload == "cnn" ? TestAccuracy ?? 0 : TestLoss;

    public double ValidationMetric => Workload == "cnn" ? ValidationAccuracy ?? 0 : ValidationLoss;
}

/// <summary>Trains one spec through TrainingSession, as every run does, with the methods benchmark's energy windows (EnergyAtEvaluations).</summary>
public static class DistillRun
{
    public static DistillResult Train(string workload, string role, DistillSetting? setting, ExperimentSpec spec, ITrainingData data, Device device,
        EnergyMeterFactory energy, IEnumerable<ITrainingObserver> observers)
    {
        var options = new RunOptions { Device = device, CpuThreads = RunOptions.DefaultCpuThreads, LogEverySteps = 50 };
        using var state = TrainingSession.Prepare(spec, device, options.CpuThreads, new BorrowedData(data));
        using var meter = new EnergyAtEvaluations(energy, spec.Name);
        var clock = Stopwatch.StartNew();
        TrainingSession.Loop(state, options, [meter, .. observers], NullLogger.Instance).Run(state);
        var seconds = clock.Elapsed.TotalSeconds;
        // The loop's evaluations read only training.evalBatches; the choice of setting reads the whole validation split.
        var validation = Evaluator.Evaluate(state.Network, state.Data.Validation, TrainingSession.EvaluationBatchSize(state, options), null, state.Parameters.ComputeType);
        var test = TrainingSession.ScoreTest(state, options);
        var report = TrainingSession.MethodReports(state).GetValueOrDefault("distillation");
        return new DistillResult(workload, role, spec.Training.Seed, setting, state.Parameters.Count, state.Step, validation.Loss, validation.Accuracy,
            test.Loss, test.Accuracy, meter.TotalJoules, meter.TotalCpuSeconds, seconds, meter.Methods, report?.DeepClone());
    }
}
