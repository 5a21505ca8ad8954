using GreenTrain.Trainer.Devices;

namespace GreenTrain.Benchmarks.Resume;

/// <summary>
/// The resume benchmark's settings: the model (an MLP of --size-mb, or the benchmark GPT on --text), device,
/// store, and how many steps to time.
/// </summary>
public sealed record ResumeArguments(int SizeMiB, DeviceRequest Device, string? LibTorch, string? Store, int Steps, int CheckpointEvery, string Output,
    string Model = "mlp", string Text = "/usr/share/games/fortunes")
{
    public static ResumeArguments Parse(string[] args)
    {
        var result = new ResumeArguments(100, DeviceRequest.Cpu, null, null, 12, 4, Path.Combine("artifacts", "benchmarks", "resume.json"));
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
            result = args[i] switch
            {
                "--size-mb" => result with { SizeMiB = Positive(args[i], value) },
                "--device" => result with { Device = Enum.TryParse<DeviceRequest>(value, true, out var d) ? d : throw new ArgumentException($"--device must be cpu, cuda or auto, not '{value}'.") },
                "--libtorch" => result with { LibTorch = value },
                "--store" => result with { Store = value },
                "--steps" => result with { Steps = Positive(args[i], value) },
                "--checkpoint-every" => result with { CheckpointEvery = Positive(args[i], value) },
                "--output" => result with { Output = value },
                "--model" => result with { Model = value is "mlp" or "gpt" ? value : throw new ArgumentException($"--model must be mlp or gpt, not '{value}'.") },
                "--text" => result with { Text = value },
                _ => throw new ArgumentException($"Unknown option {args[i]}."),
            };
            i++;
        }
        return result;
    }

    private static int Positive(string name, string value) =>
        int.TryParse(value, out var n) && n > 0 ? n : throw new ArgumentException($"{name} must be a positive whole number, got '{value}'.");
}
