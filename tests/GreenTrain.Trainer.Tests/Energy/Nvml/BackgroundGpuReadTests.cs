using System.Collections.Concurrent;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Energy;
using GreenTrain.Trainer.Energy.Nvml;
using GreenTrain.Trainer.Tests.Energy.Support;

namespace GreenTrain.Trainer.Tests.Energy.Nvml;

/// <summary>
/// The GPU's energy counter is read off the training thread: each NVML read here blocks on a gate the test holds
/// (a real one takes ~3 ms), and the tests show what the training thread, the windows and the end of a run see.
/// </summary>
public sealed class BackgroundGpuReadTests : IDisposable
{
    private const string EnergyCall = "nvmlDeviceGetTotalEnergyConsumption";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10); // only a broken meter gets near it
    private readonly FakeNvmlBinding _nvml = new();
    private readonly SemaphoreSlim _gate = new(0);
    private readonly ConcurrentQueue<EnergyWindow> _windows = new();
    private readonly EnergyMeter _meter;
    private readonly ulong _startMillijoules;

    public BackgroundGpuReadTests()
    {
        _meter = new EnergyMeter("exp", "run", [new NvmlGpuSource(_nvml, 0, TimeSpan.FromMilliseconds(100))], _windows.Enqueue);
        _startMillijoules = _nvml.EnergyMillijoules[0]; // the source's baseline, read when it was made
        _nvml.EnergyReadGate = _gate; // from here on each counter read waits for the test
    }

    [Fact]
    public async Task A_boundary_returns_while_the_counter_read_is_still_blocked()
    {
        var boundaries = Task.Run(() =>
        {
            _meter.Open(EnergyPhase.Train, 0); // its read (boundary 0) blocks inside NVML and stays there
            for (var step = 1; step <= 5; step++)
            {
                _meter.Switch(step % 2 == 0 ? EnergyPhase.Train : EnergyPhase.Evaluate, step);
            }
        });

        WaitForReadToStart();
        (await Finishes(boundaries, Patience)).Should().BeTrue("a boundary hands the read to the GPU's reader instead of waiting for NVML");
        _windows.Should().BeEmpty("a window is published only once the readings of its boundaries are in");
        _nvml.CallsOf(EnergyCall).Should().Be(2, "the source's baseline and the one read still blocked: none on the training thread");
        _gate.Release(100);
        _meter.Close(6);
        _windows.Select(w => w.Phase).Should().Equal(
            EnergyPhase.Train, EnergyPhase.Evaluate, EnergyPhase.Train, EnergyPhase.Evaluate, EnergyPhase.Train, EnergyPhase.Evaluate);
    }

    [Fact]
    public async Task Windows_sum_exactly_to_the_counter_difference_however_reads_and_boundaries_interleave()
    {
        _meter.Open(EnergyPhase.Train, 0);
        WaitForReadToStart(); // the first boundary's reading is the counter as it stands: the sum starts there
        _gate.Release();
        using var stop = new CancellationTokenSource();
        var reads = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await _nvml.EnergyReadStarted.WaitAsync(stop.Token).ContinueWith(_ => { }); // a read has begun
                _gate.Release(); // and may finish, whenever this task gets to it
            }
        });
        var random = new Random(7);
        var phases = new List<EnergyPhase> { EnergyPhase.Train };
        const int Boundaries = 2000;
        for (var step = 1; step < Boundaries; step++)
        {
            _nvml.EnergyMillijoules[0] += (ulong)random.Next(1, 5000);
            phases.Add(random.Next(4) == 0 ? EnergyPhase.Evaluate : EnergyPhase.Train);
            _meter.Switch(phases[^1], step);
        }
        _nvml.EnergyMillijoules[0] += 1234;
        _meter.Close(Boundaries); // the last boundary's reading is the final counter: nothing moves it after
        stop.Cancel();
        _gate.Release(Boundaries);
        (await Finishes(reads, Patience)).Should().BeTrue();

        var windows = _windows.ToList();
        windows.Sum(w => w.Devices[0].Joules).Should().BeApproximately((_nvml.EnergyMillijoules[0] - _startMillijoules) / 1000.0, 1e-6,
            "every joule between the first and the last boundary is in exactly one window");
        windows.Select(w => w.Sequence).Should().Equal(Enumerable.Range(0, windows.Count).Select(i => (long)i));
        windows.Zip(windows.Skip(1)).Should().OnlyContain(p => p.First.End == p.Second.Start && p.First.StepEnd == p.Second.StepStart);
        (windows[0].StepStart, windows[^1].StepEnd).Should().Be((0L, (long)Boundaries));
        (windows.Count + _meter.MergedWindows).Should().Be(Boundaries, "each boundary either ends a window or merges two of one phase");
        Runs(windows.Select(w => w.Phase)).Should().Equal(Runs(phases), "only neighbouring windows of one phase ever merge");
    }

    [Fact]
    public void Windows_are_published_in_order_each_with_the_reading_of_its_own_boundary()
    {
        for (var boundary = 0; boundary <= 5; boundary++)
        {
            _nvml.EnergyMillijoules[0] += (ulong)(boundary + 1) * 1000; // boundary b's window gains b + 1 J over the one before
            if (boundary == 0)
            {
                _meter.Open(EnergyPhase.Train, 0);
            }
            else if (boundary < 5)
            {
                _meter.Switch(boundary % 2 == 0 ? EnergyPhase.Train : EnergyPhase.Checkpoint, boundary * 10);
            }
            else
            {
                _gate.Release(); // Close waits for this last read
                _meter.Close(50);
                break;
            }
            WaitForReadToStart(); // the reader has taken this boundary's value; the counter may move on
            _gate.Release();
        }

        _windows.Select(w => (w.Sequence, w.Phase, w.StepStart, w.StepEnd, w.Devices[0].Joules)).Should().Equal(
            (0L, EnergyPhase.Train, 0L, 10L, 2.0), (1L, EnergyPhase.Checkpoint, 10L, 20L, 3.0), (2L, EnergyPhase.Train, 20L, 30L, 4.0),
            (3L, EnergyPhase.Checkpoint, 30L, 40L, 5.0), (4L, EnergyPhase.Train, 40L, 50L, 6.0));
    }

    [Fact]
    public async Task Close_waits_for_the_last_reading_so_the_last_window_is_not_lost()
    {
        _meter.Open(EnergyPhase.Train, 0);
        WaitForReadToStart();
        _gate.Release();
        _nvml.EnergyMillijoules[0] += 7000;

        var closing = Task.Run(() => _meter.Close(1));
        WaitForReadToStart(); // the last read has its value and is blocked

        (await Finishes(closing, TimeSpan.FromMilliseconds(300))).Should().BeFalse("Close returns only once the last window's reading is in");
        _windows.Should().BeEmpty();
        _gate.Release();
        (await Finishes(closing, Patience)).Should().BeTrue();
        _windows.Should().ContainSingle().Which.Devices[0].Joules.Should().Be(7);
    }

    [Fact]
    public async Task Dispose_publishes_the_windows_whose_readings_were_still_coming()
    {
        _meter.Open(EnergyPhase.Train, 0);
        WaitForReadToStart();
        _nvml.EnergyMillijoules[0] += 5000;
        _meter.Switch(EnergyPhase.Paused, 1); // a worker stopped here; the paused window stays open, unpublished
        var disposing = Task.Run(_meter.Dispose);

        (await Finishes(disposing, TimeSpan.FromMilliseconds(300))).Should().BeFalse("the readings of the closed window are still blocked");
        _gate.Release(10);
        (await Finishes(disposing, Patience)).Should().BeTrue();
        _windows.Should().ContainSingle().Which.Should().Match<EnergyWindow>(w => w.Phase == EnergyPhase.Train && w.StepEnd == 1);
    }

    [Fact]
    public void Boundaries_faster_than_reads_merge_into_one_window_instead_of_queueing()
    {
        _meter.Open(EnergyPhase.Train, 0);
        WaitForReadToStart(); // NVML hangs on boundary 0 while the loop makes 10 000 one-step windows
        for (var step = 1; step <= 10_000; step++)
        {
            _nvml.EnergyMillijoules[0] += 100;
            _meter.Switch(EnergyPhase.Train, step);
        }

        _meter.WaitingBoundaries.Should().Be(2, "boundary 0 (being read) and one more that each new boundary moves forward");
        _nvml.CallsOf(EnergyCall).Should().Be(2, "no read was queued per boundary");
        _gate.Release(10);
        _meter.Flush();
        var window = _windows.Should().ContainSingle().Subject;
        (window.StepStart, window.StepEnd, window.Devices[0].Joules).Should().Be((0L, 10_000L, 1000.0));
        _meter.MergedWindows.Should().Be(9_999);
        _nvml.CallsOf(EnergyCall).Should().Be(3, "boundary 0, then one read for the 10 000 boundaries that came meanwhile");
    }

    [Fact]
    public void A_counter_read_that_keeps_failing_is_thrown_at_the_next_boundary()
    {
        _nvml.EnergyReadGate = null;
        _meter.Open(EnergyPhase.Train, 0);
        _meter.Flush();
        _nvml.FailEnergyReads = true;
        _meter.Switch(EnergyPhase.Evaluate, 1);

        _meter.Invoking(m => m.Flush()).Should().Throw<InvalidOperationException>().WithMessage("*gpu:0*GpuIsLost*");
        _meter.Invoking(m => m.Switch(EnergyPhase.Train, 2)).Should().Throw<InvalidOperationException>();
    }

    /// <summary>Whether the task ends within the time; a negative answer only says it was still blocked after it.</summary>
    private static async Task<bool> Finishes(Task task, TimeSpan within) => await Task.WhenAny(task, Task.Delay(within)) == task;

    private void WaitForReadToStart() => _nvml.EnergyReadStarted.Wait(Patience).Should().BeTrue("the GPU's reader starts a read right after a boundary");

    /// <summary>A phase sequence with repeats collapsed: train, train, evaluate, train -> train, evaluate, train.</summary>
    private static List<EnergyPhase> Runs(IEnumerable<EnergyPhase> phases) =>
        phases.Aggregate(new List<EnergyPhase>(), (runs, p) => { if (runs.Count == 0 || runs[^1] != p) runs.Add(p); return runs; });

    public void Dispose()
    {
        _gate.Release(100_000); // a failed test must not leave a reader blocked inside NVML
        _meter.Dispose();
    }
}
