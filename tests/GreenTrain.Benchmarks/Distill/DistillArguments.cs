using GreenTrain.ServiceDefaults.Cli;

namespace GreenTrain.Benchmarks.Distill;

/// <summary>
/// The distillation benchmark's settings (see BenchmarkCommands): device, the two workloads' data, the steps of the
/// teacher's run and of each student's run, and the distillation loss's weight and temperature per workload.
/// </summary>
public sealed record DistillArguments(DeviceRequest Device, string? LibTorch, string FashionFolder, string TextPath,
    int TeacherSteps, int StudentSteps, string Workloads, string Output)
{
    public double CnnAlpha { get; init; } = 0.5;
    public double CnnTemperature { get; init; } = 4;
    public double GptAlpha { get; init; } = 0.5;
    public double GptTemperature { get; init; } = 2;
}
