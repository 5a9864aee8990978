using Serilog.Core;
using Serilog.Events;

namespace LipService.Api.Hosting;

/// <summary>
/// Adds " [job &lt;id&gt;]" as JobTag to events that carry a JobId (the training job pushes one in a
/// logger scope), so the text template shows which job a line is about and nothing otherwise.
/// </summary>
public sealed class JobTagEnricher : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        if (logEvent.Properties.TryGetValue("JobId", out var jobId) && jobId is ScalarValue { Value: { } id })
            logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty("JobTag", $" [job {id}]"));
    }
}
