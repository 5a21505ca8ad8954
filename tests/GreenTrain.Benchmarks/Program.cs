using GreenTrain.Benchmarks;
using GreenTrain.ServiceDefaults.Cli;

// dotnet run -c Release --project tests/GreenTrain.Benchmarks -- checkpoints [--size-mb 100] [--runs 3] [--stores redis,garnet] [--output FILE]
// dotnet run -c Release --project tests/GreenTrain.Benchmarks -- cross-device [--libtorch DIR] [--steps-per-leg 100] [--output FILE]   (GPU machine)
// dotnet run -c Release --project tests/GreenTrain.Benchmarks -- resume [--model mlp|gpt] [--text PATH] [--size-mb 100] [--device cpu|cuda|cuda:N] [--libtorch DIR] [--store CONN] [--steps 12] [--checkpoint-every 4] [--output FILE]
// dotnet run -c Release --project tests/GreenTrain.Benchmarks -- dedup [--share 0.3] [--epochs 3] [--hash-side 16] [--train true] [--output FILE]   (Fashion-MNIST and fortunes)
// dotnet run -c Release --project tests/GreenTrain.Benchmarks -- methods [--device cpu|cuda] [--libtorch DIR] [--cnn-steps 300] [--gpt-steps 200] [--workloads cnn,gpt] [--variants dense,qat] [--seed 1337] [--seeds 1] [--output FILE]
// dotnet run -c Release --project tests/GreenTrain.Benchmarks -- distill [--device cpu|cuda] [--libtorch DIR] [--teacher-steps 1500] [--student-steps N (default: the teacher's)] [--seeds 1,2,3] [--grid A:T,...] [--workloads cnn,gpt] [--output FILE]
// dotnet run -c Release --project tests/GreenTrain.Benchmarks -- sweeps [--device cpu|cuda] [--libtorch DIR] [--workloads digits,cnn] [--seeds 3] [--cnn-steps 270] [--rung-eval-batches N] [--output FILE]
// `--help` on each verb lists its options.
return CliApp.Run(BenchmarkCommands.Create(), args);
