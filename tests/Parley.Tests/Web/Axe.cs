using System.Text.Json;
using Microsoft.Playwright;

namespace Parley.Tests.Web;

/// <summary>axe-core (npm, a development dependency of the app's package.json) run inside the page: the
/// accessibility failures a screen reader or low-vision user would hit.</summary>
public static class Axe
{
    private static readonly Lazy<string> Source = new(() => File.ReadAllText(Locate()));

    /// <summary>Each serious or critical violation on the page as "rule: help (first elements)".</summary>
    public static async Task<IReadOnlyList<string>> SeriousViolationsAsync(IPage page)
    {
        // Evaluated through the DevTools protocol, which the page's Content-Security-Policy does not apply to.
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'"))
        {
            await page.EvaluateAsync(Source.Value + "\n;0");
        }

        var found = await page.EvaluateAsync<JsonElement>("""
            async () => {
              const result = await axe.run(document, { resultTypes: ["violations"] });
              return result.violations
                .filter(v => v.impact === "serious" || v.impact === "critical")
                .map(v => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 3).map(n => n.target.join(" ") + " [" + ((n.any[0] || n.all[0] || n.none[0] || {}).message || "") + "]").join(", ")}`);
            }
            """);
        return found.EnumerateArray().Select(v => v.GetString()!).ToList();
    }

    /// <summary>Fails the test, naming the page and each violation, when axe finds a serious or critical one.</summary>
    public static async Task AssertAccessibleAsync(IPage page, string name)
    {
        var violations = await SeriousViolationsAsync(page);
        Assert.True(violations.Count == 0, $"{name}: {string.Join("; ", violations)}");
    }

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "src", "Parley", "node_modules", "axe-core", "axe.min.js");
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new FileNotFoundException("axe-core is not installed: building src/Parley runs npm ci, which installs it.");
    }
}
