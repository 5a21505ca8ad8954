using GreenTrain.ServiceDefaults.Cli;
using GreenTrain.Trainer.Energy.Bench;

// dotnet run --project Trainer/Energy/Bench -c Release -- overhead [--steps 400] [--size 160] [--out DIR] [--simulate-gpu-read-ms 3]
// dotnet run --project Trainer/Energy/Bench -c Release -- gpu-check [--windows 6] [--seconds 10] [--out DIR]
return CliApp.Run(BenchCommands.Create(), args);
