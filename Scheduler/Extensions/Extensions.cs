using GreenTrain.Scheduler.Apis;
using GreenTrain.Scheduler.Apis.CarbonAware;
using GreenTrain.Scheduler.Experiments;
using GreenTrain.Scheduler.Forecasting;
using GreenTrain.Scheduler.Jobs;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Quartz;

namespace GreenTrain.Scheduler.Extensions;

internal static class Extensions
{
    /// <summary>The Scheduler's own registrations; the shared ones come from AddServiceDefaults.</summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<CarbonOptions>().BindConfiguration(CarbonOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<SchedulerOptions>().BindConfiguration(SchedulerOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<ServiceDefaults.Data.DataRootsOptions>().BindConfiguration(ServiceDefaults.Data.DataRootsOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<CarbonOptions>>().Value);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddHttpClient(CarbonProviderFactory.HttpClientName);
        builder.Services.AddSingleton(CarbonProviderFactory.Create);
        builder.Services.AddSingleton<ForecastCache>();
        builder.Services.AddSingleton<ForecastService>();
        builder.Services.AddSingleton<CarbonAwareData>();
        builder.Services.AddHealthChecks().AddCheck<CarbonHealthCheck>("carbon", tags: ["ready"]);

        builder.Services.AddOptions<Leadership.LeadershipOptions>().BindConfiguration(Leadership.LeadershipOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<Leadership.SchedulerLeadership>();
        builder.Services.AddSingleton<ServiceDefaults.Store.IReplicaRole>(sp => sp.GetRequiredService<Leadership.SchedulerLeadership>());
        // Before Quartz: the first lease attempt is made before the first planning pass, and the lease is given up after the last.
        builder.Services.AddHostedService<Leadership.LeaderElection>();
        builder.Services.AddSingleton<Leadership.ReplanRequests>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Leadership.ReplanRequests>());
        builder.AddCommandQueue();
        builder.Services.AddSingleton<ICommandSink, QueueCommandSink>();
        builder.Services.AddSingleton<ExperimentStore>();
        builder.Services.AddSingleton<ExperimentLock>();
        builder.Services.AddSingleton<ExperimentSubmitter>();
        builder.Services.AddSingleton<ExperimentSegments>();
        builder.Services.AddSingleton<PlanningService>();
        builder.Services.AddSingleton<RunChannel>();
        builder.Services.AddSingleton<DispatchService>();
        builder.Services.AddHostedService<GreenTrain.Scheduler.Jobs.ProgressListener>();
        builder.Services.AddOptions<Demo.DemoOptions>().BindConfiguration(Demo.DemoOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHostedService<Demo.DemoSubmitter>();
        builder.Services.AddOptions<Sweeps.Service.SweepOptions>().BindConfiguration(Sweeps.Service.SweepOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<Sweeps.Service.SweepStore>();
        builder.Services.AddSingleton<Sweeps.Service.SweepSignal>();
        builder.Services.AddSingleton<Sweeps.Service.SweepCancellations>();
        builder.Services.AddSingleton<Sweeps.Service.TrialCompletion>();
        builder.Services.AddSingleton<Sweeps.Service.TrialServices>();
        builder.Services.AddHostedService<Sweeps.Service.SweepRunner>();
        builder.Services.AddSingleton<ApiKeyFilter>();
        builder.Services.AddSingleton<IValidateOptions<SchedulerOptions>, ApiKeyRequired>();
        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(o =>
            o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase)));
        builder.Services.AddOpenApi();
        builder.AddQuartzJobs();
    }

    /// <summary>
    /// Refresh on start and every Carbon:RefreshSeconds; replan on start (rebuilding every plan from the store after
    /// a restart) and every Scheduler:ReplanSeconds; dispatch at plan boundaries plus every Scheduler:DispatchSeconds.
    /// </summary>
    private static void AddQuartzJobs(this IHostApplicationBuilder builder)
    {
        var carbon = builder.Configuration.GetSection(CarbonOptions.SectionName).Get<CarbonOptions>() ?? new CarbonOptions();
        var scheduler = builder.Configuration.GetSection(SchedulerOptions.SectionName).Get<SchedulerOptions>() ?? new SchedulerOptions();
        builder.Services.AddQuartz(q =>
        {
            // The job classes carry [DisallowConcurrentExecution]: a slow refresh or replan is never run twice at once.
            q.AddJob<RefreshForecastsJob>(j => j.WithIdentity(RefreshForecastsJob.Key).StoreDurably());
            q.AddTrigger(t => t.ForJob(RefreshForecastsJob.Key).StartAt(DateTimeOffset.UtcNow)
                .WithSimpleSchedule(TimeSpan.FromSeconds(carbon.RefreshSeconds), null));
            q.AddJob<ReplanJob>(j => j.WithIdentity(ReplanJob.Key).StoreDurably());
            q.AddTrigger(t => t.ForJob(ReplanJob.Key).StartAt(DateTimeOffset.UtcNow)
                .WithSimpleSchedule(TimeSpan.FromSeconds(scheduler.ReplanSeconds), null));
            q.AddJob<DispatchJob>(j => j.WithIdentity(DispatchJob.Key).StoreDurably());
            q.AddTrigger(t => t.ForJob(DispatchJob.Key).StartAt(DateTimeOffset.UtcNow.AddSeconds(scheduler.DispatchSeconds))
                .WithSimpleSchedule(TimeSpan.FromSeconds(scheduler.DispatchSeconds), null));
        });
        builder.Services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
    }

    public static WebApplication MapApplicationEndpoints(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapOpenApi();
        app.MapExperimentsApi();
        app.MapSweepsApi();
        app.MapCarbonApi();
        app.MapCarbonAwareApi();
        return app;
    }
}
