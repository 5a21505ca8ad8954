using GreenTrain.Trainer.Data;
using GreenTrain.Trainer.Devices;

namespace GreenTrain.Benchmarks.Methods;

/// <summary>Options of the methods benchmark; the defaults are the CPU-sized run docs/benchmarks.md records.</summary>
public sealed record MethodsArguments
{
    public DeviceRequest Device { get; init; } = DeviceRequest.Cpu;

    public string? LibTorch { get; init; }

    public string FashionFolder { get; init; } = FashionMnistData.DefaultFolder;

    /// <summary>Debian's fortunes package: plain English text, read as bytes.</summary>
    public string TextPath { get; init; } = "/usr/share/games/fortunes";

    public int CnnSteps { get; init; } = 300;

    public int GptSteps { get; init; } = 200;

    /// <summary>Which workloads: cnn, gpt or both.</summary>
    public string Workloads { get; init; } = "cnn,gpt";

    public string Output { get; init; } = "artifacts/benchmarks/methods.json";

    public static MethodsArguments Parse(string[] args)
    {
        var parsed = new MethodsArguments();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            parsed = args[i] switch
            {
                "--device" => parsed with { Device = Enum.Parse<DeviceRequest>(Next(), ignoreCase: true) },
                "--libtorch" => parsed with { LibTorch = Next() },
                "--fashion" => parsed with { FashionFolder = Next() },
                "--text" => parsed with { TextPath = Next() },
                "--cnn-steps" => parsed with { CnnSteps = int.Parse(Next()) },
                "--gpt-steps" => parsed with { GptSteps = int.Parse(Next()) },
                "--workloads" => parsed with { Workloads = Next() },
                "--output" => parsed with { Output = Next() },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }
        if (parsed.CnnSteps < 50 || parsed.GptSteps < 50) throw new ArgumentException("--cnn-steps and --gpt-steps must be >= 50");
        return parsed;
    }
}
