using System.Diagnostics;
using GreenTrain.Trainer.Data;
using TorchSharp;

namespace GreenTrain.Trainer.Engine;

/// <summary>
/// Throughput and efficiency of the training steps (evaluations excluded). FLOPs are analytic: three
/// times the forward pass (the backward pass costs about two forwards; Kaplan et al., 2020), so they
/// count the model's work, not recomputation or framework overhead; MFU is that rate over the
/// device's peak (Chowdhery et al., 2022), reported only when a peak is known.
/// </summary>
public sealed record PerformanceReport(
    double SamplesPerSecond,
    double? TokensPerSecond,
    double FlopsPerStep,
    double AchievedTflops,
    double? PeakTflops,
    double? Mfu,
    long? PeakMemoryBytes,
    string PeakMemorySource,
    double TrainingSeconds)
{
    public static PerformanceReport From(TrainingState state, double? peakTflops)
    {
        var training = state.Spec.Training;
        var examplesPerStep = (double)training.BatchSize * training.AccumulationSteps;
        var flopsPerStep = 3 * state.Network.ForwardFlopsPerExample * examplesPerStep;
        var seconds = Math.Max(state.TrainingSeconds, 1e-9);
        var tflops = flopsPerStep * state.Step / seconds / 1e12;
        var (memory, source) = PeakMemory(state);
        return new PerformanceReport(
            state.ExamplesSeen / seconds,
            state.Data.Task == DataTask.LanguageModel ? state.TargetsSeen / seconds : null,
            flopsPerStep,
            tflops,
            peakTflops,
            peakTflops is > 0 ? tflops / peakTflops : null,
            memory,
            source,
            state.TrainingSeconds);
    }

    /// <summary>TorchSharp 0.107 exposes no CUDA allocator statistics; on CPU the process's peak resident memory is the honest figure.</summary>
    private static (long?, string) PeakMemory(TrainingState state) =>
        state.Device.type == DeviceType.CPU
            ? (Process.GetCurrentProcess().PeakWorkingSet64, "process peak resident set (CPU)")
            : (null, "not reported: TorchSharp exposes no CUDA allocator statistics");
}
