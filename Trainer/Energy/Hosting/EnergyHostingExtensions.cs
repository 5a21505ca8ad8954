using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace GreenTrain.Trainer.Energy.Hosting;

/// <summary>
/// Registers the energy meter for the Trainer; the lead calls <see cref="AddEnergyMeter"/> from the
/// Trainer's AddApplicationServices. Options are validated at start, naming the bad key.
/// </summary>
public static class EnergyHostingExtensions
{
    public static IHostApplicationBuilder AddEnergyMeter(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<EnergyOptions>()
            .Bind(builder.Configuration.GetSection(EnergyOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(sp => new EnergyMeterFactory(sp.GetRequiredService<IOptions<EnergyOptions>>().Value));
        builder.Services.AddSingleton<StoreEnergyWindowPublisher>();
        return builder;
    }
}
