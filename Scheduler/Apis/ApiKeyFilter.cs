using System.Security.Cryptography;
using System.Text;
using GreenTrain.Scheduler.Experiments;
using Microsoft.Extensions.Options;

namespace GreenTrain.Scheduler.Apis;

/// <summary>When Scheduler:ApiKey is set, requests without the same key in X-Api-Key get 401 (compared in constant time).</summary>
public sealed class ApiKeyFilter(IOptions<SchedulerOptions> options) : IEndpointFilter
{
    public const string HeaderName = "X-Api-Key";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (options.Value.ApiKey is { Length: > 0 } expected)
        {
            var given = context.HttpContext.Request.Headers[HeaderName].ToString();
            if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected)))
            {
                return TypedResults.Problem(title: "API key required", detail: $"Send the configured key in the {HeaderName} header.",
                    statusCode: StatusCodes.Status401Unauthorized);
            }
        }
        return await next(context);
    }
}
