using GreenTrain.AppHost;
using GreenTrain.AppHost.Commands;
using GreenTrain.AppHost.Experiments;
using GreenTrain.AppHost.Deployment;
using GreenTrain.AppHost.Grid;
using GreenTrain.AppHost.Lifecycle;
using GreenTrain.AppHost.Store;

// The system diagram: one shared store; the Scheduler replays each region's grid and plans across them; one
// trainer per region takes that region's commands; Telemetry prices the energy. Every service waits for the store,
// comes back by itself if its process dies, and stops before the store does (AppHost/Lifecycle).
return AppHostStartup.Run(args, builder =>
{
    var store = builder.AddGreenTrainStore("store");
    var grid = builder.GetGrid(); // run: replayed traces, demo (AppHost/Local); publish: live providers, GPUs (AppHost/Deployment)
    var apiKey = builder.AddSchedulerApiKey();

    // "Healthy" in the dashboard means each service's /health (store reachable, options valid) answers, not only that the process runs.
    builder.AddProject<Projects.GreenTrain_Scheduler>("scheduler")
        .WithReference(store).WaitFor(store).WithRestartOnCrash()
        .WithHttpHealthCheck("/health")
        .WithSchedulerApiKey(apiKey)
        .WithGrid(grid)
        .WithExternalHttpEndpoints();

    builder.AddRegionalTrainers<Projects.GreenTrain_Trainer>(grid, (trainer, region) => trainer
        .WithReference(store).WaitFor(store).WithRestartOnCrash()
        .WithHttpHealthCheck("/health")
        .WithTrainingCommands(store, region));

    builder.AddProject<Projects.GreenTrain_Telemetry>("telemetry")
        .WithReference(store).WaitFor(store).WithRestartOnCrash()
        .WithHttpHealthCheck("/health")
        .WithUrlForEndpoint("http", url => url.DisplayText = "GreenTrain UI: experiments, compare, regions")
        .WithExternalHttpEndpoints();

    // A dashboard row that shows where each experiment stands (running, paused, completed), read from the store.
    builder.AddExperimentsView("experiments", store);
});
