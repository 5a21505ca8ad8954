using GreenTrain.AppHost;
using GreenTrain.AppHost.Commands;
using GreenTrain.AppHost.Store;

// The system diagram: one shared store, three services that each use it and wait for it.
return AppHostStartup.Run(args, builder =>
{
    var store = builder.AddGreenTrainStore("store");

    builder.AddProject<Projects.GreenTrain_Scheduler>("scheduler")
        .WithReference(store).WaitFor(store);

    builder.AddProject<Projects.GreenTrain_Trainer>("trainer")
        .WithReference(store).WaitFor(store)
        .WithTrainingCommands(store);

    builder.AddProject<Projects.GreenTrain_Telemetry>("telemetry")
        .WithReference(store).WaitFor(store);
});
