/* Security keys and passkeys (allauth's WebAuthn pages): say in the page what went wrong.
   allauth's webauthn.js reports a failed or cancelled ceremony as an "allauth.error" event and
   otherwise only logs it to the console. No inline script: the CSP allows none. */
(function () {
  'use strict'

  function box () {
    return document.getElementById('security-key-error')
  }

  function show (kind) {
    var el = box()
    if (!el) return
    el.textContent = el.dataset[kind] || el.dataset.failed || ''
    el.hidden = false
  }

  document.addEventListener('allauth.error', function (event) {
    if (!event.detail || (event.detail.tags || []).indexOf('webauthn') === -1) return
    event.preventDefault()
    var name = event.detail.exception && event.detail.exception.name
    if (name === 'NotAllowedError' || name === 'AbortError') show('cancelled')
    else if (name === 'InvalidStateError') show('known')
    else show('failed')
  })

  document.addEventListener('DOMContentLoaded', function () {
    var buttons = document.querySelectorAll('[id^="mfa_webauthn_"]')
    if (!window.PublicKeyCredential) {
      buttons.forEach(function (button) { button.disabled = true })
      if (buttons.length) show('unsupported')
      return
    }
    // Enter in the key's name field would post the form without a key: start the ceremony instead.
    var add = document.getElementById('mfa_webauthn_add')
    if (add && add.form) {
      add.form.addEventListener('submit', function (event) {
        var credential = add.form.querySelector('input[name=credential]')
        if (credential && (!credential.value || credential.value === 'null')) {
          event.preventDefault()
          add.click()
        }
      })
    }
    buttons.forEach(function (button) {
      button.addEventListener('click', function () {
        var el = box()
        if (el) el.hidden = true
      })
    })
  })
})()
