using GreenTrain.Trainer.Energy;
using GreenTrain.Trainer.Energy.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace GreenTrain.Trainer.Tests.Energy;

public sealed class EnergyOptionsTests
{
    [Theory]
    [InlineData("PowerSamplePeriodMs", "250")] // power integration slower than 10 Hz
    [InlineData("StatusSamplePeriodMs", "0")]
    public void A_sampling_period_out_of_range_stops_the_start_with_the_key_named(string key, string value)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [$"Energy:{key}"] = value });
        builder.AddEnergyMeter();
        using var host = builder.Build();

        var act = () => host.Services.GetRequiredService<IOptions<EnergyOptions>>().Value;

        act.Should().Throw<OptionsValidationException>().WithMessage($"*{key}*");
    }

    [Fact]
    public void Defaults_are_valid_and_find_the_machine_itself()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.AddEnergyMeter();
        using var host = builder.Build();

        var factory = host.Services.GetRequiredService<EnergyMeterFactory>();
        using var meter = factory.CreateMeter("exp", "run", _ => { });

        // This machine has no GPU driver and no RAPL: the CPU and RAM must still be covered, as labelled estimates.
        meter.Sources.Should().Contain(s => s.Kind == ServiceDefaults.Contracts.DeviceKind.Cpu);
        factory.Notes.Should().NotBeEmpty();
    }
}
