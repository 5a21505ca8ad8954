using GreenTrain.ServiceDefaults.Cli;

namespace GreenTrain.Benchmarks.Resume;

/// <summary>
/// The resume benchmark's settings (see BenchmarkCommands): the model (an MLP of --size-mb, or the benchmark GPT on
/// --text), device, store, and how many steps to time.
/// </summary>
public sealed record ResumeArguments(int SizeMiB, DeviceRequest Device, string? LibTorch, string? Store, int Steps, int CheckpointEvery, string Output,
    string Model = "mlp", string Text = "/usr/share/games/fortunes");
