using TorchSharp;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Checkpoints.State;

/// <summary>
/// Tensor values to and from plain host byte arrays, the form a checkpoint section takes. The bytes are
/// the tensor's raw elements (little-endian, row-major), so they mean the same on every device: a
/// checkpoint written from CUDA loads on CPU and back.
/// </summary>
internal static class HostTensors
{
    /// <summary>Copies the values to a new host array: the device-to-host copy is all the training step pays.</summary>
    public static byte[] ToBytes(Tensor tensor)
    {
        using var scope = NewDisposeScope();
        var host = tensor.device_type == DeviceType.CPU ? tensor.detach().contiguous() : tensor.detach().to(CPU).contiguous();
        return host.bytes.ToArray();
    }

    /// <summary>Copies values stored as <paramref name="storedType"/> into <paramref name="target"/>, converting device and type.</summary>
    public static void CopyInto(Tensor target, byte[] bytes, int offset, int length, ScalarType storedType, long[] shape)
    {
        using var scope = NewDisposeScope();
        var host = empty(shape, storedType, CPU);
        if (host.bytes.Length != length)
        {
            throw new CheckpointIncompatibleException(
                $"a tensor of shape [{string.Join(", ", shape)}] and type {storedType} needs {host.bytes.Length} bytes, the checkpoint holds {length}");
        }
        host.bytes = bytes.AsSpan(offset, length);
        using var noGrad = no_grad();
        target.copy_(host.reshape(target.shape));
    }
}
