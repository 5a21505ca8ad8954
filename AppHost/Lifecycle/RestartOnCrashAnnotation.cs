namespace GreenTrain.AppHost.Lifecycle;

/// <summary>
/// Marks a project the <see cref="CrashRestarter"/> brings back when its process dies on its own (a kill, a crash):
/// after <see cref="FirstDelay"/>, doubling each time up to <see cref="MaxDelay"/>, and at most
/// <see cref="MaxRestarts"/> times within <see cref="Window"/>, so a service that cannot start does not loop forever.
/// </summary>
public sealed record RestartOnCrashAnnotation(TimeSpan FirstDelay, TimeSpan MaxDelay, int MaxRestarts, TimeSpan Window) : IResourceAnnotation;
