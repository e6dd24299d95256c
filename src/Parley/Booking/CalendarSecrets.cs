using Microsoft.AspNetCore.DataProtection;

namespace Parley.Booking;

/// <summary>Keeps calendar passwords encrypted at rest with ASP.NET Core Data Protection (keys in the data folder,
/// <see cref="CalendarOptions.KeysFolder"/>): the database alone never gives a password away.</summary>
public sealed class CalendarSecrets(IDataProtectionProvider provider)
{
    private readonly IDataProtector protector = provider.CreateProtector("Parley.Booking.CalendarPassword.v1");

    public string Protect(string password) => protector.Protect(password);

    public string Unprotect(string protectedPassword) => protector.Unprotect(protectedPassword);
}
