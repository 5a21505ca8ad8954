using GreenTrain.ServiceDefaults.Cli;
using GreenTrain.Trainer.Devices;
using GreenTrain.Trainer.Energy;

namespace GreenTrain.Benchmarks.Support;

/// <summary>The device a training benchmark runs every variant on, and the one energy meter factory its runs share.</summary>
internal sealed record BenchmarkDevice(DeviceChoice Choice, EnergyMeterFactory Energy)
{
    /// <summary>Selects the device and says on the console which one and where the energy figures come from; null (the error printed) when it cannot be had.</summary>
    public static async Task<BenchmarkDevice?> OpenAsync(DeviceRequest request, string? libTorch)
    {
        var (choice, error) = DeviceSelector.Select(request, libTorch, Console.WriteLine);
        if (choice is null)
        {
            await Console.Error.WriteLineAsync($"error: {error}");
            return null;
        }
        var energy = new EnergyMeterFactory(new EnergyOptions());
        Console.WriteLine($"device {choice.Description}; energy: {string.Join("; ", energy.Notes)}");
        return new BenchmarkDevice(choice, energy);
    }
}
