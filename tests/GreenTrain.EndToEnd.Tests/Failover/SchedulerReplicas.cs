using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace GreenTrain.EndToEnd.Tests.Failover;

/// <summary>
/// How the failover test runs the built Scheduler and Trainer as their own processes on one store: the settings a
/// deployment gives each replica (its store, its port, its key), plus a short leader lease and real-time replay of
/// France's shipped trace so the plan does not move while the test watches.
/// </summary>
internal static class SchedulerReplicas
{
    public const double LeaseSeconds = 3;
    public const string ApiKey = "failover-test-key-5d1c2e";
    public const string Region = "FR";

    public static string SchedulerDll => ChildProcess.BuiltDll(new Projects.GreenTrain_Scheduler().ProjectPath, "GreenTrain.Scheduler.dll");

    public static string TrainerDll => ChildProcess.BuiltDll(new Projects.GreenTrain_Trainer().ProjectPath, "GreenTrain.Trainer.dll");

    /// <summary>Starts a Scheduler replica named <paramref name="replica"/>; returns it and its base address.</summary>
    public static (ChildProcess Process, Uri Address) StartScheduler(string replica, string store)
    {
        var port = FreeLoopbackPort();
        var address = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__store"] = store,
            ["ASPNETCORE_URLS"] = address.ToString(),
            // Development: /info then names the replica's role, as operators of the local loop see it.
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["OTEL_SERVICE_NAME"] = "scheduler",
            ["Scheduler__ApiKey"] = ApiKey,
            ["Leadership__LeaseSeconds"] = LeaseSeconds.ToString(CultureInfo.InvariantCulture),
            ["Leadership__ReplicaName"] = replica,
            ["Carbon__Provider"] = "trace",
            ["Carbon__Regions__0"] = Region,
            ["Carbon__Replay__SpeedUp"] = "1",
            ["Scheduler__DispatchSeconds"] = "1",
            ["Scheduler__ReplanSeconds"] = "30",
            ["Demo__Enabled"] = "false",
            ["Logging__LogLevel__Default"] = "Information",
            ["Logging__LogLevel__Microsoft"] = "Warning",
            ["Logging__LogLevel__Quartz"] = "Warning",
        };
        return (ChildProcess.Start(replica, SchedulerDll, [], environment), address);
    }

    /// <summary>A Trainer worker serving the region's queue on one CPU thread.</summary>
    public static ChildProcess StartWorker(string workerId, string store) => ChildProcess.Start(workerId, TrainerDll,
    [
        "worker", "--store", store, "--region", Region,
        $"--Worker:WorkerId={workerId}", "--Worker:Device=cpu", "--Worker:CpuThreads=1", "--Worker:ProgressEverySeconds=0",
        "--Energy:UseNvml=false", "--Logging:LogLevel:Default=Warning",
    ], new Dictionary<string, string> { ["ASPNETCORE_URLS"] = "http://127.0.0.1:0" });

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
