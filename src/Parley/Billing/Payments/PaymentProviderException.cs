namespace Parley.Billing.Payments;

/// <summary>The payment provider could not be reached or failed on its side: nothing was charged, try again later.</summary>
public sealed class PaymentProviderException(string message, Exception? inner = null) : Exception(message, inner);
