using GreenTrain.ServiceDefaults.Cli;

namespace GreenTrain.Benchmarks.Moe;

/// <summary>
/// The MoE benchmark's settings (see BenchmarkCommands): device, corpus, the MoE model's shape, the steps of each run,
/// the batch, context and depth every run shares, and which variants run (MoeVariants' keys; the MoE always runs);
/// the seed every run shares (initial weights and data order, so the spread between seeds can be seen beside the
/// difference between models); the defaults are the CPU-sized run docs/benchmarks.md records.
/// </summary>
public sealed record MoeArguments(DeviceRequest Device, string? LibTorch, string TextPath, int Steps, int Width, int Experts, int TopK,
    double CapacityFactor, string Output, int Batch = 32, int Context = 64, int Depth = 2, string Variants = MoeVariants.DefaultKeys, int Seed = 1337);
