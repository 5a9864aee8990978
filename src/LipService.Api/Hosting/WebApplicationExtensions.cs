using Hangfire;
using Hangfire.Dashboard;
using LipService.Api.Datasets;
using LipService.Api.Endpoints;
using LipService.Api.Monitoring;
using LipService.Api.Serving;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Serilog;

namespace LipService.Api.Hosting;

/// <summary>The request pipeline and the endpoint table.</summary>
public static class WebApplicationExtensions
{
    public static WebApplication MapLipService(this WebApplication app)
    {
        var host = app.Services.GetRequiredService<IOptions<LipServiceHostOptions>>().Value;
        app.UseNosniffHeader();
        app.UseServiceMetrics();
        app.UseSerilogRequestLogging(RequestLogLevels.Configure);
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // Oversized bodies and other bad requests keep their 4xx status instead of becoming 500;
            // BadRequestExceptionHandler writes their problem and logs them as the client's error.
            StatusCodeSelector = e => e is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
        });
        app.UseStatusCodePages();
        // Inside the generic handler: store failures get their own problem, everything else still reaches it.
        app.UseMiddleware<StoreFailureMiddleware>();

        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready"), ResponseWriter = HealthReportWriter.WriteAsync });
        if (!host.Role.ServesApi()) return app;

        app.UseWebPage();
        app.UseRateLimiter();
        app.UseSwagger(SwaggerSetup.ConfigureEndpoint);
        app.UseSwaggerUI(options => options.DocumentTitle = "LipService");
        app.MapHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = host.DashboardRemoteAccess ? [new OpenDashboard()] : [new LocalRequestsOnlyAuthorizationFilter()],
            // A view, never a console: our store is the record of every job, and the dashboard's
            // actions bypass it (a deleted job stays "running" for us, a requeued one runs twice,
            // neither asks for the API key). Jobs are changed through the API.
            IsReadOnlyFunc = _ => true,
        });
        app.MapJobEndpoints();
        app.MapPresetEndpoints();
        app.MapModelEndpoints();
        app.MapAliasEndpoints();
        app.MapSweepEndpoints();
        app.MapDatasetEndpoints(app.Services.GetRequiredService<IOptions<DatasetOptions>>().Value);
        app.MapPredictEndpoints(app.Services.GetRequiredService<IOptions<ServingOptions>>().Value);
        app.MapAttackEndpoints(app.Services.GetRequiredService<IOptions<AttackOptions>>().Value, app.Services.GetRequiredService<IOptions<ServingOptions>>().Value,
            app.Services.GetRequiredService<IOptions<DatasetOptions>>().Value);
        app.MapInferenceEndpoints(app.Services.GetRequiredService<IOptions<ServingOptions>>().Value);
        return app;
    }

    private sealed class OpenDashboard : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => true;
    }
}
