namespace LipService.Api.Hosting;

/// <summary>An exception and every exception inside it (inner ones, and each of an aggregate's), outermost first.</summary>
public static class ExceptionChain
{
    public static IEnumerable<Exception> Of(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            yield return e;
            if (e is AggregateException aggregate)
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Of)) yield return inner;
        }
    }
}
