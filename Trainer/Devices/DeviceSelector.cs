using GreenTrain.ServiceDefaults.Cli;
using TorchSharp;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Devices;

/// <summary>The device a run got, and how its LibTorch was found.</summary>
public sealed record DeviceChoice(Device Device, string Description);

/// <summary>
/// Chooses the training device. CPU uses the LibTorch bundled with the application (libtorch-cpu).
/// CUDA needs an external LibTorch (a PyTorch install) loaded before TorchSharp's first call; auto
/// takes CUDA when one is found and works, else CPU.
/// </summary>
public static class DeviceSelector
{
    /// <summary>Returns the device, or the reason CUDA was asked for and cannot be had (null device).</summary>
    public static (DeviceChoice? Choice, string? Error) Select(DeviceRequest request, string? libTorchFolder, Action<string> inform)
    {
        if (request == DeviceRequest.Cpu)
        {
            return (new DeviceChoice(CPU, "cpu (bundled libtorch-cpu)"), null);
        }

        var folder = LibTorchLocator.Find(libTorchFolder, out var how);
        if (folder is null || !LibTorchLocator.HasCudaLibTorch(folder))
        {
            var why = folder is null
                ? $"no PyTorch installation was found ({how} found none)"
                : $"{folder} (from {how}) has no CUDA LibTorch ({string.Join(", ", LibTorchLocator.LoadOrder)})";
            return request == DeviceRequest.Cuda
                ? (null, $"--device cuda needs a CUDA build of LibTorch, but {why}. Install PyTorch with CUDA (pip install torch) or pass --libtorch <site-packages>/torch/lib.")
                : (new DeviceChoice(CPU, $"cpu (bundled libtorch-cpu; no CUDA: {why})"), null);
        }

        LibTorchLoader.Load(folder);
        if (!cuda.is_available())
        {
            return request == DeviceRequest.Cuda
                ? (null, $"--device cuda: LibTorch from {folder} loaded, but it sees no CUDA device (driver missing or no GPU visible).")
                : (new DeviceChoice(CPU, $"cpu (LibTorch from {folder}; no CUDA device visible)"), null);
        }

        var index = request.Kind == DeviceRequestKind.Cuda ? request.CudaIndex : 0;
        var count = cuda.device_count();
        if (index >= count)
        {
            return (null, $"--device {request}: LibTorch from {folder} sees {count} CUDA device(s), numbered 0 to {count - 1}.");
        }

        inform($"LibTorch from {folder} (found by {how})");
        return (new DeviceChoice(new Device(DeviceType.CUDA, index), $"cuda:{index} (LibTorch from {folder})"), null);
    }
}
