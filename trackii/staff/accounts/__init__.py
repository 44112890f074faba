"""The staff's list of logins (/staff/accounts/): auditors see, administrators act (disable, re-enable, end
sessions), every act audited. Addresses typed at login are never listed; client addresses only to auditors."""
