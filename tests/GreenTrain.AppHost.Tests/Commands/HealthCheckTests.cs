using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

namespace GreenTrain.AppHost.Tests.Commands;

/// <summary>The AppHost's model as it is built (nothing started): every service's health is its /health endpoint.</summary>
public sealed class HealthCheckTests
{
    [Fact]
    public async Task Every_project_resource_has_an_http_health_check()
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.GreenTrain_AppHost>(
            ["--Store:Mode=embedded", $"--Store:DataPath={Path.Combine(Path.GetTempPath(), $"health-{Guid.NewGuid():N}")}", "--Demo:Enabled=false"]);

        var projects = builder.Resources.OfType<ProjectResource>().ToList();

        projects.Select(p => p.Name).Should().Contain(new[] { "scheduler", "telemetry" }).And.Contain(n => n.StartsWith("trainer-"));
        projects.Should().OnlyContain(p => p.Annotations.OfType<HealthCheckAnnotation>().Any(),
            "\"Healthy\" in the dashboard must mean the service answers /health, not only that its process runs");
    }
}
