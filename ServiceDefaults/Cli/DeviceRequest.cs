using System.ComponentModel;
using System.Globalization;

namespace GreenTrain.ServiceDefaults.Cli;

/// <summary>What kind of device was asked for; <see cref="Auto"/> takes CUDA when a CUDA LibTorch and a GPU are found.</summary>
public enum DeviceRequestKind
{
    Auto,
    Cpu,
    Cuda,
}

/// <summary>
/// A training device as the user writes it: `auto`, `cpu`, `cuda` (the first GPU) or `cuda:N`. The same text works as
/// `--device` on every verb and as the `Worker:Device` setting, so a typo such as `7` is rejected everywhere instead of
/// quietly running on the CPU.
/// </summary>
[TypeConverter(typeof(DeviceRequestConverter))]
public readonly record struct DeviceRequest(DeviceRequestKind Kind, int CudaIndex = 0)
{
    public const string Accepted = "auto, cpu, cuda or cuda:N (N the GPU's index, from 0)";

    public static DeviceRequest Auto => new(DeviceRequestKind.Auto);

    public static DeviceRequest Cpu => new(DeviceRequestKind.Cpu);

    public static DeviceRequest Cuda => new(DeviceRequestKind.Cuda);

    public static bool TryParse(string? text, out DeviceRequest request)
    {
        var value = (text ?? "").Trim().ToLowerInvariant();
        request = value switch
        {
            "auto" => Auto,
            "cpu" => Cpu,
            "cuda" => Cuda,
            _ when value.StartsWith("cuda:", StringComparison.Ordinal)
                && int.TryParse(value.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var index) => new(DeviceRequestKind.Cuda, index),
            _ => default,
        };
        return value is "auto" or "cpu" or "cuda" || request.Kind == DeviceRequestKind.Cuda;
    }

    public static DeviceRequest Parse(string? text) =>
        TryParse(text, out var request) ? request : throw new FormatException($"device '{text}' is not {Accepted}.");

    public override string ToString() => Kind switch
    {
        DeviceRequestKind.Cuda when CudaIndex > 0 => $"cuda:{CudaIndex}",
        _ => Kind.ToString().ToLowerInvariant(),
    };
}

/// <summary>Lets configuration binding read `Worker:Device=cuda:1` with the same rules as `--device`.</summary>
public sealed class DeviceRequestConverter : TypeConverter
{
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) => sourceType == typeof(string);

    public override object ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
        DeviceRequest.Parse(value as string);
}
