using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Parley.Knowledge;
using Parley.Knowledge.Import;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Knowledge.Import;

public sealed class KnowledgeLimitsTests
{
    [Theory]
    [InlineData("Parley:Knowledge:MaxDocumentBytes", "0", "Parley:Knowledge:MaxDocumentBytes must be between 1024 and 104857600")]
    [InlineData("Parley:Knowledge:MaxPassagesPerSource", "0", "Parley:Knowledge:MaxPassagesPerSource must be between 1 and 100000")]
    [InlineData("Parley:Knowledge:MaxPassageChars", "50", "Parley:Knowledge:MaxPassageChars must be between 200 and 4000")]
    [InlineData("Parley:Knowledge:FetchTimeout", "00:00:00", "Parley:Knowledge:FetchTimeout must be positive")]
    [InlineData("Parley:Knowledge:MaxRedirects", "-1", "Parley:Knowledge:MaxRedirects must be between 0 and 20")]
    [InlineData("Parley:Knowledge:RefetchInterval", "00:00:10", "Parley:Knowledge:RefetchInterval must be at least 00:05:00")]
    public void A_bad_knowledge_limit_stops_start_up_naming_the_setting(string key, string value, string message)
    {
        using var app = new ConfiguredParleyApp(new Dictionary<string, string?> { [key] = value });

        var error = Assert.IsType<OptionsValidationException>(Record.Exception(() => app.Server));
        Assert.Contains(error.Failures, f => f.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void The_limits_are_read_from_configuration()
    {
        using var app = new ConfiguredParleyApp(new Dictionary<string, string?> { ["Parley:Knowledge:MaxDocumentBytes"] = "2048", ["Parley:Knowledge:MaxPassageChars"] = "300" });

        var limits = app.Services.GetRequiredService<IOptions<KnowledgeLimits>>().Value;

        Assert.Equal((2048, 300, 2000), (limits.MaxDocumentBytes, limits.MaxPassageChars, limits.MaxPassagesPerSource));
    }
}
