using GreenTrain.AppHost.Store;
using Microsoft.Extensions.Options;

namespace GreenTrain.AppHost;

/// <summary>
/// Builds and runs the application, turning a bad setting into one clear line on stderr and exit code 2,
/// instead of a stack trace.
/// </summary>
public static class AppHostStartup
{
    public static int Run(string[] args, Action<IDistributedApplicationBuilder> compose)
    {
        try
        {
            var builder = DistributedApplication.CreateBuilder(args);
            compose(builder);
            builder.Build().Run();
            return 0;
        }
        catch (Exception ex) when (FindConfigurationProblem(ex) is { } message)
        {
            Console.Error.WriteLine($"GreenTrain AppHost cannot start. {message}");
            return 2;
        }
    }

    private static string? FindConfigurationProblem(Exception ex)
    {
        for (Exception? current = ex; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case AppHostConfigurationException config:
                    return config.Message;
                case InvalidOperationException https when https.Message.Contains("developer certificate", StringComparison.Ordinal):
                    // With no http address the dashboard falls back to https, which needs a developer certificate.
                    return "Setting 'ASPNETCORE_URLS': no dashboard address is set, and https needs a developer certificate. "
                        + "Run `dotnet run --project AppHost` (its http launch profile sets ASPNETCORE_URLS, "
                        + "ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL and ASPIRE_ALLOW_UNSECURED_TRANSPORT), or set those variables.";
                case OptionsValidationException options:
                    // Aspire reports a missing dashboard URL (ASPNETCORE_URLS, ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL) this way.
                    return string.Join(" ", options.Failures)
                        + " Run with the http launch profile (`dotnet run --project AppHost`) or set those variables.";
            }
        }
        if (ex is AggregateException aggregate)
        {
            return aggregate.InnerExceptions.Select(FindConfigurationProblem).FirstOrDefault(m => m is not null);
        }
        return null;
    }
}
