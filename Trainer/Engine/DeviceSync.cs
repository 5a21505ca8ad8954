using TorchSharp;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Engine;

/// <summary>Waits for the device's queued work, so a timing window or an energy window closes on finished work.</summary>
public static class DeviceSync
{
    public static void Synchronize(Device device)
    {
        if (device.type == DeviceType.CUDA) cuda.synchronize(device);
    }
}
