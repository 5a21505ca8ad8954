using System.ComponentModel.DataAnnotations;

namespace GreenTrain.Scheduler.Demo;

/// <summary>The demo experiment (section "Demo"): off unless the local composition turns it on.</summary>
public sealed class DemoOptions
{
    public const string SectionName = "Demo";

    /// <summary>Submit the demo experiment at start (once: a restart finds it and leaves it alone).</summary>
    public bool Enabled { get; set; }

    /// <summary>Its deadline, in hours of grid time after it is submitted (replayed hours under trace replay).</summary>
    [Range(1, 24 * 7)]
    public double DeadlineGridHours { get; set; } = 12;

    /// <summary>The run time the planner is told it needs, in seconds of wall time.</summary>
    [Range(1, 24 * 3600)]
    public double EstimatedSeconds { get; set; } = 90;

    /// <summary>The energy the planner is told it needs, in kWh (a CPU for a minute and a half is far less; what matters is the shape).</summary>
    [Range(1e-6, 1000)]
    public double EstimatedKWh { get; set; } = 0.05;
}
