namespace GreenTrain.AppHost.Lifecycle;

/// <summary>
/// One resource's states as the restarter saw them: whether the exit just seen was a crash (from running, not
/// through stopping, with a non-zero code), and the back-off for the next restart. Pure, so its rules are tested alone.
/// </summary>
public sealed class CrashHistory
{
    private readonly List<DateTimeOffset> _restarts = [];
    private bool _running;
    private bool _stopping;

    /// <summary>Takes the next state; true when it is an exit the resource did not ask for (counted once).</summary>
    public bool Observe(string? state, int? exitCode)
    {
        if (state == KnownResourceStates.Running)
        {
            (_running, _stopping) = (true, false);
            return false;
        }
        if (state == KnownResourceStates.Stopping)
        {
            _stopping = true;
            return false;
        }
        var ended = state == KnownResourceStates.Exited || state == KnownResourceStates.Finished || state == KnownResourceStates.FailedToStart;
        if (!ended || !_running)
        {
            return false;
        }
        var crashed = !_stopping && exitCode is not 0;
        (_running, _stopping) = (false, false);
        return crashed;
    }

    /// <summary>The wait before the next restart (doubling from the first), or null once the cap within the window is reached.</summary>
    public TimeSpan? NextDelay(RestartOnCrashAnnotation policy, DateTimeOffset now)
    {
        _restarts.RemoveAll(t => now - t > policy.Window);
        if (_restarts.Count >= policy.MaxRestarts)
        {
            return null;
        }
        var delay = TimeSpan.FromTicks(Math.Min(policy.MaxDelay.Ticks, policy.FirstDelay.Ticks << Math.Min(_restarts.Count, 20)));
        _restarts.Add(now);
        return delay;
    }
}
