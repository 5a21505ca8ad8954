using GreenTrain.ServiceDefaults.Cli;
using GreenTrain.Trainer.Devices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Worker;

/// <summary>The device this worker trains on, chosen once when the worker starts (Worker:Device, Worker:LibTorch).</summary>
public sealed partial class WorkerDevice(IOptions<WorkerOptions> options, ILogger<WorkerDevice> logger)
{
    private DeviceChoice? _choice;

    public Device Device => (_choice ?? throw new InvalidOperationException("The worker's device has not been chosen yet.")).Device;

    /// <summary>Chooses the device; null with the reason when the configured one cannot be had.</summary>
    public string? Choose()
    {
        var (choice, error) = DeviceSelector.Select(options.Value.Device, options.Value.LibTorch, message => LogFound(logger, message));
        _choice = choice;
        if (choice is not null)
        {
            LogChosen(logger, choice.Description);
        }
        return error;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Message}")]
    private static partial void LogFound(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "The worker trains on {Device}")]
    private static partial void LogChosen(ILogger logger, string device);
}
