using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Engine;

/// <summary>
/// A method's part of a checkpoint: small values as JSON, tensors as host copies of their elements.
/// Built on the training thread (Save copies tensors to host arrays) and written by the checkpoint writer.
/// </summary>
public sealed class MethodSection
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public MethodSection(string json, IReadOnlyDictionary<string, HostTensor>? tensors = null)
    {
        ValuesJson = json;
        Tensors = tensors ?? new Dictionary<string, HostTensor>();
    }

    /// <summary>The method's small values as a JSON document.</summary>
    public string ValuesJson { get; }

    public IReadOnlyDictionary<string, HostTensor> Tensors { get; }

    public static MethodSection Of<T>(T values, IEnumerable<(string Name, Tensor Tensor)>? tensors = null) =>
        new(JsonSerializer.Serialize(values, Json), (tensors ?? []).ToDictionary(t => t.Name, t => HostTensor.Copy(t.Tensor)));

    public T Values<T>() => JsonSerializer.Deserialize<T>(ValuesJson, Json) ?? throw new InvalidOperationException("the method's section holds no values");

    /// <summary>The tensor saved under <paramref name="name"/>, copied into <paramref name="target"/> (any device, same shape).</summary>
    public void CopyInto(string name, Tensor target)
    {
        if (!Tensors.TryGetValue(name, out var host)) throw new KeyNotFoundException($"the method's section has no tensor '{name}'");
        host.CopyInto(target);
    }
}

/// <summary>A tensor's raw elements on the host (little-endian, row-major), with its type and shape.</summary>
public sealed record HostTensor(ScalarType DType, long[] Shape, byte[] Bytes)
{
    public static HostTensor Copy(Tensor tensor)
    {
        using var scope = NewDisposeScope();
        var host = tensor.detach().to(CPU).contiguous();
        return new HostTensor(tensor.dtype, tensor.shape, host.bytes.ToArray());
    }

    public void CopyInto(Tensor target)
    {
        using var scope = NewDisposeScope();
        var host = empty(Shape, DType, CPU);
        if (host.bytes.Length != Bytes.Length) throw new InvalidDataException($"a {DType} tensor of shape [{string.Join(", ", Shape)}] needs {host.bytes.Length} bytes, not {Bytes.Length}");
        host.bytes = Bytes;
        using var noGrad = no_grad();
        target.copy_(host.reshape(target.shape));
    }
}
