using GreenTrain.Scheduler.Extensions;

namespace GreenTrain.Scheduler;

/// <summary>The web service, built the same way by Program.cs and by the tests that start it on a loopback port.</summary>
public static class SchedulerApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        builder.AddServiceDefaults();
        builder.AddApplicationServices();
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapApplicationEndpoints();
        return app;
    }
}
