using GreenTrain.ServiceDefaults.Cli;
using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.Benchmarks.Methods;

/// <summary>
/// The methods benchmark's settings (see BenchmarkCommands): device, the two workloads' data, and the steps of each
/// run; the defaults are the CPU-sized run docs/benchmarks.md records. Seeds: the runs repeat for seeds Seed, Seed + 1, ...,
/// Seed + Seeds - 1, each variant beside the dense run of its own seed. Precision is every run's compute precision (the dense
/// baseline's too), so a method is measured beside a dense run of the precision a user would train in (bf16 on a GPU).
/// </summary>
public sealed record MethodsArguments(DeviceRequest Device, string? LibTorch, string FashionFolder, string TextPath, int CnnSteps, int GptSteps,
    string Workloads, string Output, string Variants = "dense,u50,u80,u90,2:4,qat", int CnnWidth = 16, int Seed = MethodVariants.DefaultSeed, int Seeds = 1,
    int GptWidth = 96, int GptDepth = 2, PrecisionKind Precision = PrecisionKind.Fp32);
