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

/// <summary>What one run measured. Metric: test accuracy (CNN) or test loss (GPT); the distillation report when it had a teacher.</summary>
public sealed record DistillResult(string Workload, string Role, long Parameters, long Steps, double TestLoss, double? TestAccuracy,
    double Joules, double CpuSeconds, double Seconds, string EnergyMethod, JsonNode? Distillation)
{
    public double Metric => Workload == "cnn" ? TestAccuracy ?? 0 : TestLoss;
}

/// <summary>Trains one spec through TrainingSession, as every run does, with the methods benchmark's energy windows (EnergyAtEvaluations).</summary>
public static class DistillRun
{
    public static DistillResult Train(string workload, string role, ExperimentSpec spec, ITrainingData data, Device device, EnergyMeterFactory energy,
        IEnumerable<ITrainingObserver> observers)
    {
        var options = new RunOptions { Device = device, CpuThreads = RunOptions.DefaultCpuThreads, LogEverySteps = 50 };
        using var state = TrainingSession.Prepare(spec, device, options.CpuThreads, new BorrowedData(data));
        using var meter = new EnergyAtEvaluations(energy, spec.Name);
        var clock = Stopwatch.StartNew();
        TrainingSession.Loop(state, options, [meter, .. observers], NullLogger.Instance).Run(state);
        var seconds = clock.Elapsed.TotalSeconds;
        var test = TrainingSession.ScoreTest(state, options);
        var report = TrainingSession.MethodReports(state).GetValueOrDefault("distillation");
        return new DistillResult(workload, role, state.Parameters.Count, state.Step, test.Loss, test.Accuracy, meter.TotalJoules, meter.TotalCpuSeconds,
            seconds, meter.Methods, report?.DeepClone());
    }
}
