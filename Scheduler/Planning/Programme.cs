namespace GreenTrain.Scheduler.Planning;

/// <summary>
/// The dynamic programme behind <see cref="SegmentedSchedule"/>: for one price per cell, the cheapest
/// path through time where each cell is "running in region j", "paused with the checkpoint in j" or "not
/// started", and where resuming pays a pause and changing region pays a move. It returns how many cells
/// the best path runs; with tracing on it keeps back-pointers so <see cref="Backtrack"/> can list them.
/// </summary>
internal sealed class Programme
{
    private readonly JobSpace _s;
    private readonly int[] _regions;
    private readonly int _r;
    private readonly int _startLocal;
    private double[] _on, _off, _nextOn, _nextOff;
    private int[] _onCount, _offCount, _nextOnCount, _nextOffCount;
    private byte[] _predOn = [];
    private bool[] _offFromOn = [];
    private int _finalState;

    public Programme(JobSpace s, int[] regions)
    {
        _s = s;
        _regions = regions;
        _r = regions.Length;
        _startLocal = Array.IndexOf(regions, s.StartRegion);
        _on = new double[_r];
        _off = new double[_r];
        _nextOn = new double[_r];
        _nextOff = new double[_r];
        _onCount = new int[_r];
        _offCount = new int[_r];
        _nextOnCount = new int[_r];
        _nextOffCount = new int[_r];
    }

    private int NotStarted => 2 * _r;

    public int Run(double lambda, bool trace)
    {
        var n = _s.End - _s.First;
        if (trace && _predOn.Length < n * _r)
        {
            _predOn = new byte[n * _r];
            _offFromOn = new bool[n * _r];
        }
        Array.Fill(_on, double.PositiveInfinity);
        Array.Fill(_off, double.PositiveInfinity);
        Array.Clear(_onCount);
        Array.Clear(_offCount);
        var notStarted = double.PositiveInfinity;
        // A job already somewhere but outside this solve's regions can only start here by moving.
        var startCostsMove = (_s.IsRunning || _s.IsPaused) && _startLocal < 0;
        if (_s.IsRunning && _startLocal >= 0)
        {
            _on[_startLocal] = 0;
        }
        else if (_s.IsPaused && _startLocal >= 0)
        {
            _off[_startLocal] = 0;
        }
        else
        {
            notStarted = 0;
        }

        for (var t = _s.First; t < _s.End; t++)
        {
            // The best and second-best "anywhere else" predecessor, for moves between regions.
            int best1 = -1, best2 = -1;
            double best1Value = double.PositiveInfinity, best2Value = double.PositiveInfinity;
            for (var j = 0; j < _r; j++)
            {
                var value = Math.Min(_on[j], _off[j]);
                if (value < best1Value)
                {
                    (best2, best2Value) = (best1, best1Value);
                    (best1, best1Value) = (j, value);
                }
                else if (value < best2Value)
                {
                    (best2, best2Value) = (j, value);
                }
            }
            var row = (t - _s.First) * _r;
            for (var j = 0; j < _r; j++)
            {
                var region = _regions[j];
                var fromOn = _on[j] <= _off[j];
                _nextOff[j] = fromOn ? _on[j] : _off[j];
                _nextOffCount[j] = fromOn ? _onCount[j] : _offCount[j];
                if (trace)
                {
                    _offFromOn[row + j] = fromOn;
                }
                var run = _s.RunGrams(region, t);
                if (double.IsPositiveInfinity(run))
                {
                    _nextOn[j] = double.PositiveInfinity;
                    _nextOnCount[j] = 0;
                    continue;
                }
                var best = _on[j];
                var code = j;
                var count = _onCount[j];
                var candidate = _off[j] + _s.PauseGrams(region, t);
                if (candidate < best)
                {
                    (best, code, count) = (candidate, _r + j, _offCount[j]);
                }
                candidate = notStarted + (startCostsMove ? _s.MoveGrams(region, t) : 0);
                if (candidate < best)
                {
                    (best, code, count) = (candidate, NotStarted, 0);
                }
                var other = best1 != j ? best1 : best2;
                if (other >= 0)
                {
                    candidate = (best1 != j ? best1Value : best2Value) + _s.MoveGrams(region, t);
                    if (candidate < best)
                    {
                        var otherOn = _on[other] <= _off[other];
                        (best, code, count) = (candidate, otherOn ? other : _r + other, otherOn ? _onCount[other] : _offCount[other]);
                    }
                }
                _nextOn[j] = run - lambda + best;
                _nextOnCount[j] = count + 1;
                if (trace)
                {
                    _predOn[row + j] = (byte)code;
                }
            }
            (_on, _nextOn) = (_nextOn, _on);
            (_off, _nextOff) = (_nextOff, _off);
            (_onCount, _nextOnCount) = (_nextOnCount, _onCount);
            (_offCount, _nextOffCount) = (_nextOffCount, _offCount);
        }

        var finalValue = notStarted;
        var finalCount = 0;
        _finalState = NotStarted;
        for (var j = 0; j < _r; j++)
        {
            if (_on[j] < finalValue)
            {
                (finalValue, finalCount, _finalState) = (_on[j], _onCount[j], j);
            }
            if (_off[j] < finalValue)
            {
                (finalValue, finalCount, _finalState) = (_off[j], _offCount[j], _r + j);
            }
        }
        return finalCount;
    }

    /// <summary>The cells of the last traced run, in time order.</summary>
    public List<PlannedCell> Backtrack()
    {
        var cells = new List<PlannedCell>();
        var state = _finalState;
        for (var t = _s.End - 1; t >= _s.First && state != NotStarted; t--)
        {
            var row = (t - _s.First) * _r;
            if (state < _r)
            {
                cells.Add(new PlannedCell(t, _regions[state]));
                state = _predOn[row + state];
            }
            else
            {
                var j = state - _r;
                state = _offFromOn[row + j] ? j : _r + j;
            }
        }
        cells.Reverse();
        return cells;
    }
}
