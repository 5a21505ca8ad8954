using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.Scheduler.Sweeps;

/// <summary>A trial segment's measured energy: its windows' joules, paused windows not billed, and the weakest method among its devices.</summary>
public static class EnergyTotal
{
    public static (double Joules, string Method) Of(IEnumerable<EnergyWindow> windows)
    {
        double joules = 0;
        var method = EnergyMethod.Counter;
        var any = false;
        foreach (var window in windows)
        {
            if (window.Phase == EnergyPhase.Paused) continue;
            foreach (var device in window.Devices)
            {
                joules += device.Joules;
                method = device.Method > method ? device.Method : method;
                any = true;
            }
        }
        return (joules, any ? method.ToString().ToLowerInvariant() : "none");
    }
}
