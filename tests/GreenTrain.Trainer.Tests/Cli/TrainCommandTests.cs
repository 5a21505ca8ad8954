using GreenTrain.ServiceDefaults.Cli;
using GreenTrain.Trainer.Cli;

namespace GreenTrain.Trainer.Tests.Cli;

public sealed class TrainCommandTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("train-cli-");
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    private string Write(string name, string json)
    {
        var path = Path.Combine(_folder.FullName, name);
        File.WriteAllText(path, json);
        return path;
    }

    private int Train(params string[] args) =>
        CliApp.Run(TrainerCommandLine.Create(_ => throw new InvalidOperationException("train must not start the web service")), ["train", .. args], _output, _error);

    [Fact]
    public void A_digits_run_exits_0_and_writes_result_json_and_metrics_csv()
    {
        var config = Write("digits.json", """{ "name": "cli-digits", "training": { "steps": 60, "evalEverySteps": 20 } }""");
        var output = Path.Combine(_folder.FullName, "out");

        var exit = Train("--config", config, "--out", output, "--device", "cpu");

        exit.Should().Be(0, _error.ToString());
        var result = ResultFile.Read(output);
        result.Name.Should().Be("cli-digits");
        result.Steps.Should().Be(60);
        result.Test.Accuracy.Should().BeGreaterThan(0.8);
        result.Device.Should().Be("cpu");
        result.Spec.Training.Steps.Should().Be(60);
        var rows = File.ReadAllLines(Path.Combine(output, "metrics.csv"));
        rows[0].Should().Be(GreenTrain.Trainer.Observers.MetricsCsvObserver.Header);
        rows.Skip(1).Select(r => r.Split(',')[0]).Should().Equal("20", "40", "60");
        _output.ToString().Should().Contain("step 60/60");
    }

    [Fact]
    public void Two_segments_through_a_checkpoint_folder_end_exactly_where_one_uninterrupted_run_does()
    {
        // A sweep's promoted trial: stopped at step 20 on the schedule of 60 steps, then continued from its folder checkpoint.
        var config = Write("segments.json", """{ "name": "cli-segments", "training": { "steps": 60, "evalEverySteps": 20 } }""");
        var checkpoint = Path.Combine(_folder.FullName, "checkpoint");

        Train("--config", config, "--out", Path.Combine(_folder.FullName, "first"), "--device", "cpu", "--threads", "1",
            "--checkpoint-folder", checkpoint, "--stop-at-step", "20").Should().Be(0, _error.ToString());
        Train("--config", config, "--out", Path.Combine(_folder.FullName, "second"), "--device", "cpu", "--threads", "1",
            "--checkpoint-folder", checkpoint, "--stop-at-step", "60").Should().Be(0, _error.ToString());
        Train("--config", config, "--out", Path.Combine(_folder.FullName, "whole"), "--device", "cpu", "--threads", "1").Should().Be(0, _error.ToString());

        var first = ResultFile.Read(Path.Combine(_folder.FullName, "first"));
        var second = ResultFile.Read(Path.Combine(_folder.FullName, "second"));
        var whole = ResultFile.Read(Path.Combine(_folder.FullName, "whole"));
        first.Steps.Should().Be(20);
        first.StopReason.Should().StartWith("segment end");
        second.Steps.Should().Be(60);
        second.Final!.Loss.Should().Be(whole.Final!.Loss, "the second segment resumed the first instead of starting over");
        second.Test.Should().Be(whole.Test);
    }

    [Fact]
    public void A_run_with_methods_reports_each_layers_sparsity_and_the_int8_exports_score_in_result_json()
    {
        var config = Write("methods.json", """
            { "name": "cli-methods", "training": { "steps": 60, "evalEverySteps": 20, "methods": [
                { "kind": "magnitude-pruning", "finalSparsity": 0.5, "startFraction": 0, "endFraction": 0.5, "scope": "layer" },
                { "kind": "quantization-aware", "delayFraction": 0.5 } ] } }
            """);
        var output = Path.Combine(_folder.FullName, "out");

        var exit = Train("--config", config, "--out", output, "--device", "cpu");

        exit.Should().Be(0, _error.ToString());
        var result = ResultFile.Read(output);
        var layers = result.Methods["magnitude-pruning"]["layers"]!.AsObject();
        layers.Should().NotBeEmpty();
        layers.Select(l => l.Value!["sparsity"]!.GetValue<double>()).Should().OnlyContain(s => Math.Abs(s - 0.5) < 0.01);
        result.Methods["quantization-aware"]["int8Export"]!["testAccuracy"]!.GetValue<double>().Should().BeGreaterThan(0.7);
        result.Spec.Training.Methods.Should().HaveCount(2);
    }

    [Fact]
    public void An_unknown_method_kind_exits_2_naming_its_json_path()
    {
        var config = Write("bad-method.json", """{ "training": { "methods": [ { "kind": "magic" } ] } }""");

        var exit = Train("--config", config, "--out", Path.Combine(_folder.FullName, "out"));

        exit.Should().Be(2);
        _error.ToString().Should().Contain("$.training.methods[0].kind");
    }

    [Fact]
    public void A_bad_spec_exits_2_naming_every_wrong_field()
    {
        var config = Write("bad.json", """{ "training": { "batchSize": 0, "precision": "fp32", "optimizer": { "learningRate": -1 } }, "model": { "depth": 0 }, "checkpoint": { "keepLast": 0 } }""");

        var exit = Train("--config", config, "--out", Path.Combine(_folder.FullName, "out"));

        exit.Should().Be(2);
        _error.ToString().Should().Contain("4 problem(s)")
            .And.Contain("$.training.batchSize: must be between 1 and 65536")
            .And.Contain("$.training.optimizer.learningRate")
            .And.Contain("$.model.depth")
            .And.Contain("$.checkpoint.keepLast");
        Directory.Exists(Path.Combine(_folder.FullName, "out")).Should().BeFalse("nothing is written for a rejected spec");
    }

    [Fact]
    public void A_rung_scored_with_eval_batches_resumes_into_a_segment_without_them()
    {
        // A sweep's rung scores on fewer validation batches; the promotion must still find the rung's checkpoint.
        var config = Write("rungs.json", """{ "name": "cli-rungs", "training": { "steps": 40, "evalEverySteps": 20 } }""");
        var checkpoint = Path.Combine(_folder.FullName, "checkpoint");

        Train("--config", config, "--out", Path.Combine(_folder.FullName, "rung"), "--device", "cpu", "--threads", "1",
            "--checkpoint-folder", checkpoint, "--stop-at-step", "20", "--eval-batches", "1").Should().Be(0, _error.ToString());
        Train("--config", config, "--out", Path.Combine(_folder.FullName, "full"), "--device", "cpu", "--threads", "1",
            "--checkpoint-folder", checkpoint, "--stop-at-step", "40").Should().Be(0, _error.ToString());
        Train("--config", config, "--out", Path.Combine(_folder.FullName, "whole"), "--device", "cpu", "--threads", "1").Should().Be(0, _error.ToString());

        ResultFile.Read(Path.Combine(_folder.FullName, "full")).Final!.Loss.Should().Be(ResultFile.Read(Path.Combine(_folder.FullName, "whole")).Final!.Loss,
            "the second segment resumed the rung's checkpoint: --eval-batches is not part of the spec's hash");
    }

    [Fact]
    public void Eval_batches_below_one_exit_2()
    {
        Train("--config", Write("e.json", "{}"), "--out", Path.Combine(_folder.FullName, "out"), "--eval-batches", "0").Should().Be(2);
        _error.ToString().Should().Contain("--eval-batches must be a whole number");
    }

    [Fact]
    public void Bad_arguments_exit_2_with_every_reason_and_the_usage()
    {
        var exit = Train("--device", "tpu", "--bogus", "1", "--log-every", "2.5");

        exit.Should().Be(2);
        _error.ToString().Should().Contain("error: Unrecognized command or argument '--bogus'").And.Contain("error: Option '--config' is required")
            .And.Contain("error: Option '--out' is required").And.Contain("error: --device must be auto, cpu, cuda or cuda:N")
            .And.Contain("error: --log-every must be a whole number of at least 1, not '2.5'").And.Contain("train --help' for usage.");
    }

    [Fact]
    public void Missing_data_exits_2_saying_how_to_get_it()
    {
        var config = Write("fashion.json", """{ "dataset": { "kind": "fashion-mnist", "path": "/nonexistent" }, "model": { "kind": "cnn", "width": 8 } }""");

        var exit = Train("--config", config, "--out", Path.Combine(_folder.FullName, "out"), "--device", "cpu");

        exit.Should().Be(2);
        _error.ToString().Should().Contain("apt-get install dataset-fashion-mnist");
    }

    [Fact]
    public void Asking_for_cuda_where_there_is_none_exits_2_with_what_to_install()
    {
        var config = Write("digits.json", "{}");

        var exit = Train("--config", config, "--out", Path.Combine(_folder.FullName, "out"), "--device", "cuda", "--libtorch", _folder.FullName);

        exit.Should().Be(2);
        _error.ToString().Should().Contain("--device cuda needs a CUDA build of LibTorch").And.Contain(_folder.FullName);
    }

    [Fact]
    public void Auto_falls_back_to_the_bundled_cpu_libtorch_when_no_cuda_libtorch_is_found()
    {
        var config = Write("digits.json", """{ "training": { "steps": 5 } }""");
        var output = Path.Combine(_folder.FullName, "out");

        var exit = Train("--config", config, "--out", output, "--device", "auto", "--libtorch", _folder.FullName);

        exit.Should().Be(0, _error.ToString());
        ResultFile.Read(output).Device.Should().Be("cpu");
        _output.ToString().Should().Contain("no CUDA");
    }

    public void Dispose()
    {
        _folder.Delete(recursive: true);
        _output.Dispose();
        _error.Dispose();
    }
}
