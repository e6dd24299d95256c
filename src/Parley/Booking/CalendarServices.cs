using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;
using Parley.Data;
using Parley.Web;

namespace Parley.Booking;

/// <summary>Start-up wiring of calendar booking.</summary>
public static class CalendarServices
{
    public static void AddParleyCalendar(this IServiceCollection services)
    {
        // Keys live in the data folder, so calendar passwords (and sign-in cookies) survive a restart.
        services.AddDataProtection().SetApplicationName("Parley");
        services.AddOptions<KeyManagementOptions>().Configure<IOptions<CalendarOptions>, IHostEnvironment, ILoggerFactory>((o, calendar, environment, loggers) =>
        {
            var folder = Path.Combine(environment.ContentRootPath, calendar.Value.KeysFolder);
            DataFolder.Ensure(folder);
            o.XmlRepository = new FileSystemXmlRepository(new DirectoryInfo(folder), loggers);
        });

        services.AddSingleton<CalendarSecrets>();
        services.AddHttpClient<CalDavClient>(CalDavClient.HttpClientName, (sp, http) => http.Timeout = sp.GetRequiredService<IOptions<CalendarOptions>>().Value.RequestTimeout)
            .ConfigurePrimaryHttpMessageHandler(sp => OutboundUrlGuard.CreateHandler(sp.GetRequiredService<IOptions<OutboundUrlOptions>>().Value.AllowPrivateUrls))
            .RemoveAllLoggers();
        services.AddScoped<TenantCalendar>();
        services.AddScoped<CalendarBooking>();
    }
}
